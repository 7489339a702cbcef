import { expect } from 'chai';
import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startTokenServer, type TokenServer } from './support/tokenServer.js';
import { seedWorld } from './support/seed.js';

/**
 * An independent OAuth client (oauth4webapi) discovers Tollgate from its RFC 8414 metadata
 * and runs the grants; a resource server verifies the tokens with jose.createRemoteJWKSet.
 */
describe('interoperability: oauth4webapi client and a jose resource server', () => {
  let server: TokenServer;
  let world: Awaited<ReturnType<typeof seedWorld>>;
  let as: oauth.AuthorizationServer;
  const insecure = { [oauth.allowInsecureRequests]: true };

  before(async () => {
    server = await startTokenServer();
    world = await seedWorld(server);
    const issuer = new URL(server.issuer);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  });
  after(() => server.close());

  const resourceServerVerify = (token: string, audience: string) =>
    jwtVerify(token, createRemoteJWKSet(new URL(as.jwks_uri!), insecure as object), {
      issuer: as.issuer,
      audience,
      typ: 'at+jwt',
    });

  it('discovers every endpoint and the complete list of grants', () => {
    expect(as.token_endpoint).to.equal(`${server.issuer}/oauth2-token`);
    expect(as.grant_types_supported).to.deep.equal(['client_credentials', 'password', 'authorization_code', 'refresh_token']);
    expect(as.introspection_endpoint).to.equal(`${server.issuer}/oauth2-token/introspect`);
    expect(as.revocation_endpoint).to.equal(`${server.issuer}/oauth2-token/revoke`);
  });

  it('completes client_credentials with client_secret_basic; the resource server verifies the token', async () => {
    const client: oauth.Client = { client_id: world.ccApp.clientId };
    const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(world.ccApp.clientSecret), { scope: 'read' }, insecure);
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    expect(result.token_type).to.equal('bearer');
    expect(result.scope).to.equal('read');
    const { payload } = await resourceServerVerify(result.access_token, `${server.issuer}/admin`);
    expect(payload.sub).to.equal(world.admin.userId);

    const introspection = await oauth.processIntrospectionResponse(
      as, client, await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic(world.ccApp.clientSecret), result.access_token, insecure),
    );
    expect(introspection.active).to.equal(true);
  });

  it('completes password + refresh with client_secret_post, and revokes', async () => {
    const client: oauth.Client = { client_id: world.passwordApp.clientId };
    const auth = oauth.ClientSecretPost(world.passwordApp.clientSecret);
    const first = await oauth.processGenericTokenEndpointResponse(
      as, client,
      await oauth.genericTokenEndpointRequest(as, client, auth, 'password', { username: world.admin.username, password: world.admin.password }, insecure),
    );
    expect(first.refresh_token).to.be.a('string');
    await resourceServerVerify(first.access_token, `${server.issuer}/api`);
    const second = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, first.refresh_token!, insecure));
    expect(second.refresh_token).to.be.a('string').and.not.equal(first.refresh_token);
    await resourceServerVerify(second.access_token, `${server.issuer}/api`);

    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, second.refresh_token!, insecure));
    const error = await oauth
      .processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, second.refresh_token!, insecure))
      .then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(oauth.ResponseBodyError);
    expect((error as oauth.ResponseBodyError).error).to.equal('invalid_grant');
  });
});
