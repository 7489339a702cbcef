import { expect } from 'chai';
import * as oauth from 'oauth4webapi';
import { createApp, createUser, http, unique, USER_PASSWORD, type Admin, type TestUser } from '../admin/adminKit.js';
import { bootstrapAdminToken, startTestServer } from '../support/tollgateServer.js';
import { createFormAgent } from './support/formAgent.js';
import { decide, followToDecision } from './support/codeFlow.js';

/**
 * An independent client library (oauth4webapi) runs authorization_code with PKCE against a
 * real Tollgate: discovery, the authorization URL, RFC 9207 `iss` validation of the
 * authorization response (validateAuthResponse), the code exchange, and the refresh.
 */
describe('interoperability: oauth4webapi runs authorization_code with PKCE', function () {
  this.timeout(60_000);
  const insecure = { [oauth.allowInsecureRequests]: true };
  let admin: Admin;
  let user: TestUser;
  let as: oauth.AuthorizationServer;
  const redirectUri = 'http://127.0.0.1:8976/callback';

  before(async () => {
    const server = await startTestServer({ READ_YOUR_WRITES_TIMEOUT_MS: '300' });
    const token = await bootstrapAdminToken(server.url);
    const me = await http(server.url, 'GET', '/admin/me', { token });
    admin = { server, url: server.url, token, adminId: me.body.id, orgA: me.body.organizationIds[0] };
    user = await createUser(admin, { organizationIds: [admin.orgA], signIn: false });
    const issuer = new URL(server.config.issuer);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  });
  after(async () => admin?.server.stop());

  /** The user's part, as a browser would take it: sign in, Grant; answers the callback URL. */
  const userAuthorizes = async (authorizationUrl: URL): Promise<URL> => {
    const agent = createFormAgent(admin.url);
    const path = `${authorizationUrl.pathname}${authorizationUrl.search}`;
    const consent = await followToDecision(agent, await agent.get(path), { username: user.username, password: USER_PASSWORD });
    const answer = await decide(agent, consent, 'grant');
    return new URL(answer.location!);
  };

  for (const kind of ['confidential', 'public'] as const) {
    it(`given a ${kind} client, then discovery, PKCE, the iss check, the code exchange and the refresh all pass`, async () => {
      const created = await createApp(admin, { name: unique(kind), grants: ['authorization_code'], organizationId: admin.orgA, redirectUris: [redirectUri], confidential: kind === 'confidential' });
      const client: oauth.Client = { client_id: created.body.clientId };
      const auth = kind === 'confidential' ? oauth.ClientSecretPost(created.body.clientSecret) : oauth.None();
      expect(as.authorization_response_iss_parameter_supported).to.equal(true);

      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const url = new URL(as.authorization_endpoint!);
      url.searchParams.set('client_id', client.client_id);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
      url.searchParams.set('code_challenge_method', 'S256');
      url.searchParams.set('state', state);

      const callback = await userAuthorizes(url);
      const params = oauth.validateAuthResponse(as, client, callback, state);
      const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, insecure);
      const result = await oauth.processAuthorizationCodeResponse(as, client, response);
      expect(result.token_type).to.equal('bearer');
      expect(result.refresh_token).to.be.a('string');

      const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, result.refresh_token!, insecure));
      expect(refreshed.access_token).to.be.a('string');
    });
  }

  it('given an authorization response whose iss is not the issuer (a mix-up), then validateAuthResponse refuses it', async () => {
    const client: oauth.Client = { client_id: 'any' };
    const forged = new URL(`${redirectUri}?code=abc&state=s&iss=${encodeURIComponent('https://other.example')}`);
    expect(() => oauth.validateAuthResponse(as, client, forged, 's')).to.throw();
  });
});
