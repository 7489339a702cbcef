import { expect } from 'chai';
import { createTestClock } from '../tokens/support/tokenServer.js';
import { createApp, createOrganization, createUser, http, unique, USER_PASSWORD, type Admin, type TestUser } from '../admin/adminKit.js';
import { bootstrapAdminToken, startTestServer } from '../support/tollgateServer.js';
import { createFormAgent, hiddenField, pkcePair } from './support/formAgent.js';
import {
  authorizePath,
  decide,
  followToDecision,
  obtainCode,
  redeem,
  redirectParams,
  standardQuery,
  tokenRequest,
  type FlowApp,
} from './support/codeFlow.js';

/**
 * authorization_code with PKCE through a real server: the authorization endpoint, the
 * console's sign-in and consent pages, and the token endpoint, over real sockets.
 */
describe('authorization_code with PKCE', function () {
  this.timeout(60_000);
  const clock = createTestClock();
  let admin: Admin;
  let user: TestUser;
  let confidential: FlowApp & { id: string };
  let publicApp: FlowApp & { id: string };
  const login = () => ({ username: user.username, password: USER_PASSWORD });
  const issuer = () => admin.server.config.issuer;

  const codeApp = async (body: Record<string, unknown>): Promise<FlowApp & { id: string; name: string }> => {
    const name = unique('code-app');
    const res = await createApp(admin, { name, grants: ['authorization_code'], organizationId: admin.orgA, ...body });
    return { id: res.body.id, name, clientId: res.body.clientId, clientSecret: res.body.clientSecret, redirectUri: (body.redirectUris as string[])[0]! };
  };

  before(async () => {
    const server = await startTestServer({ READ_YOUR_WRITES_TIMEOUT_MS: '300' }, { now: clock.now });
    const token = await bootstrapAdminToken(server.url);
    const me = await http(server.url, 'GET', '/admin/me', { token });
    admin = { server, url: server.url, token, adminId: me.body.id, orgA: me.body.organizationIds[0] };
    user = await createUser(admin, { organizationIds: [admin.orgA], signIn: false });
    confidential = await codeApp({ redirectUris: ['https://client.example/callback', 'https://client.example/other'], scopes: ['read', 'write'] });
    publicApp = await codeApp({ redirectUris: ['http://127.0.0.1:8123/cb'], confidential: false });
  });
  after(async () => admin?.server.stop());

  describe('the whole flow', () => {
    it('given a confidential client, when the user signs in and grants, then the code (with state and iss) redeems with the secret for tokens that refresh', async () => {
      const agent = createFormAgent(admin.url);
      const { verifier, challenge } = pkcePair();
      const start = await agent.get(authorizePath(standardQuery(confidential, challenge, { scope: 'read' })));
      const signInPage = await followToDecision(agent, start);
      expect(signInPage.body).to.contain('Sign in to continue to &quot;');
      const consent = await followToDecision(agent, start, login());
      expect(consent.body).to.match(/<h1[^>]*>"code-app-[^"]+" wants to access your account\.<\/h1>/);
      expect(consent.body).to.contain('JSON:API');
      expect(consent.body).to.match(/<button[^>]*value="grant"[^>]*>Grant<\/button>/);
      expect(consent.body).to.match(/<button[^>]*value="cancel"[^>]*>Cancel<\/button>/);
      expect(String(consent.headers['content-security-policy'])).to.contain("frame-ancestors 'none'");
      const params = redirectParams(await decide(agent, consent, 'grant'));
      expect(params.get('state')).to.equal('xyz-state');
      expect(params.get('iss')).to.equal(issuer());
      const code = params.get('code')!;
      expect(code).to.match(/^[A-Za-z0-9_-]{43}$/);

      const tokens = await redeem(admin.url, confidential, { code, code_verifier: verifier, redirect_uri: confidential.redirectUri });
      expect(tokens.status, JSON.stringify(tokens.body)).to.equal(200);
      expect(tokens.body.scope).to.equal('read');
      const claims = JSON.parse(Buffer.from(tokens.body.access_token.split('.')[1], 'base64url').toString());
      expect(claims.sub).to.equal(user.id);
      expect(claims.client_id).to.equal(confidential.clientId);
      const refreshed = await tokenRequest(admin.url, {
        grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: confidential.clientId, client_secret: confidential.clientSecret!,
      });
      expect(refreshed.status, JSON.stringify(refreshed.body)).to.equal(200);
    });

    it('given a confidential client, when it redeems with client_id only, then invalid_client', async () => {
      const { code, verifier } = await obtainCode(admin.url, confidential, login());
      const res = await redeem(admin.url, confidential, { code, code_verifier: verifier, redirect_uri: confidential.redirectUri }, { secret: false });
      expect(res.status).to.equal(401);
      expect(res.body.error).to.equal('invalid_client');
    });

    it('given a public client, then the API never shows it a secret', async () => {
      const res = await createApp(admin, { name: unique('public'), grants: ['authorization_code'], organizationId: admin.orgA, redirectUris: ['http://[::1]:8000/cb'], confidential: false });
      expect(res.body).not.to.have.property('clientSecret');
      const rotated = await http(admin.url, 'POST', `/admin/oauth-applications/${res.body.id}/rotate-secret`, { token: admin.token });
      expect(rotated.status).to.equal(200);
      expect(rotated.body).not.to.have.property('clientSecret');
    });

    it('given a public client, when it redeems with client_id only and the verifier, then it gets tokens, and refreshes with client_id only', async () => {
      const { code, verifier } = await obtainCode(admin.url, publicApp, login());
      const res = await redeem(admin.url, publicApp, { code, code_verifier: verifier, redirect_uri: publicApp.redirectUri });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const refreshed = await tokenRequest(admin.url, { grant_type: 'refresh_token', refresh_token: res.body.refresh_token, client_id: publicApp.clientId });
      expect(refreshed.status, JSON.stringify(refreshed.body)).to.equal(200);
    });

    it('given the metadata, then it advertises the authorization endpoint, code, S256 and iss', async () => {
      const res = await http(admin.url, 'GET', '/.well-known/oauth-authorization-server');
      expect(res.body.authorization_endpoint).to.equal(`${issuer()}/oauth2-token/authorize`);
      expect(res.body.response_types_supported).to.deep.equal(['code']);
      expect(res.body.code_challenge_methods_supported).to.deep.equal(['S256']);
      expect(res.body.authorization_response_iss_parameter_supported).to.equal(true);
      expect(res.body.grant_types_supported).to.include('authorization_code');
    });
  });

  describe('consent', () => {
    it('given a granted consent, when the same user authorizes again, then the code comes at once, without the consent page', async () => {
      const { agent } = await obtainCode(admin.url, confidential, login());
      const { challenge } = pkcePair();
      const again = await followToDecision(agent, await agent.get(authorizePath(standardQuery(confidential, challenge))));
      expect(redirectParams(again).get('code')).to.match(/^[A-Za-z0-9_-]{43}$/);
    });

    it('given a Skip User Consent application, when the user signs in, then the code comes at once, and My User lists the grant', async () => {
      const skip = await codeApp({ redirectUris: ['https://first.example/cb'], skipConsent: true });
      const agent = createFormAgent(admin.url);
      const { challenge } = pkcePair();
      const response = await followToDecision(agent, await agent.get(authorizePath(standardQuery(skip, challenge))), login());
      expect(redirectParams(response).get('code')).to.match(/^[A-Za-z0-9_-]{43}$/);
      const me = await agent.get('/console/me');
      expect(me.body).to.contain('Authorized Applications');
      expect(me.body).to.contain(skip.name);
    });

    it('when the user presses Cancel, then the client gets access_denied with state and iss, and no code', async () => {
      const other = await codeApp({ redirectUris: ['https://cancel.example/cb'] });
      const agent = createFormAgent(admin.url);
      const { challenge } = pkcePair();
      const consent = await followToDecision(agent, await agent.get(authorizePath(standardQuery(other, challenge))), login());
      const params = redirectParams(await decide(agent, consent, 'cancel'));
      expect(params.get('error')).to.equal('access_denied');
      expect(params.get('state')).to.equal('xyz-state');
      expect(params.get('iss')).to.equal(issuer());
      expect(params.get('code')).to.equal(null);
    });

    it('given a consent form without the CSRF token, when posted, then 403 and no redirect; the real form still works', async () => {
      const other = await codeApp({ redirectUris: ['https://csrf.example/cb'] });
      const agent = createFormAgent(admin.url);
      const { challenge } = pkcePair();
      const consent = await followToDecision(agent, await agent.get(authorizePath(standardQuery(other, challenge))), login());
      const forged = await agent.post('/console/authorize', { request: hiddenField(consent.body, 'request')!, decision: 'grant' });
      expect(forged.status).to.equal(403);
      expect(forged.location).to.equal(undefined);
      const wrong = await agent.post('/console/authorize', { _csrf: 'x'.repeat(43), request: hiddenField(consent.body, 'request')!, decision: 'grant' });
      expect(wrong.status).to.equal(403);
      expect(redirectParams(await decide(agent, consent, 'grant')).get('code')).to.be.a('string');
    });

    it('given a grant, when the user revokes it under My User, then its refresh tokens stop working and the consent page returns', async () => {
      const app = await codeApp({ redirectUris: ['https://revoke.example/cb'] });
      const { code, verifier, agent } = await obtainCode(admin.url, app, login());
      const tokens = await redeem(admin.url, app, { code, code_verifier: verifier, redirect_uri: app.redirectUri });
      expect(tokens.status).to.equal(200);
      const me = await agent.get('/console/me');
      const revoke = await agent.post(`/console/me/consents/${app.id}/revoke`, { _csrf: hiddenField(me.body, '_csrf')! });
      expect(revoke.status, revoke.body).to.equal(303);
      const refreshed = await tokenRequest(admin.url, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: app.clientId, client_secret: app.clientSecret! });
      expect(refreshed.body.error).to.equal('invalid_grant');
      const introspected = await tokenRequest(admin.url, { token: tokens.body.access_token, client_id: app.clientId, client_secret: app.clientSecret! }).then(() =>
        http(admin.url, 'POST', '/oauth2-token/introspect', {
          rawBody: new URLSearchParams({ token: tokens.body.access_token, client_id: app.clientId, client_secret: app.clientSecret! }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      );
      expect(introspected.body.active).to.equal(false);
      const { challenge } = pkcePair();
      const again = await followToDecision(agent, await agent.get(authorizePath(standardQuery(app, challenge))));
      expect(again.status).to.equal(200);
      expect(again.body).to.contain('wants to access your account.');
    });

    it('given a code issued before the user revoked the consent, when redeemed, then invalid_grant', async () => {
      const app = await codeApp({ redirectUris: ['https://revoked-early.example/cb'] });
      const { code, verifier, agent } = await obtainCode(admin.url, app, login());
      const me = await agent.get('/console/me');
      expect((await agent.post(`/console/me/consents/${app.id}/revoke`, { _csrf: hiddenField(me.body, '_csrf')! })).status).to.equal(303);
      const res = await redeem(admin.url, app, { code, code_verifier: verifier, redirect_uri: app.redirectUri });
      expect(res.body.error).to.equal('invalid_grant');
    });

    it('given no consent for that application, when the user tries to revoke it, then 404', async () => {
      const agent = createFormAgent(admin.url);
      const { challenge } = pkcePair();
      await followToDecision(agent, await agent.get(authorizePath(standardQuery(confidential, challenge))), login());
      const me = await agent.get('/console/me');
      const res = await agent.post(`/console/me/consents/${publicApp.id}-nope/revoke`, { _csrf: hiddenField(me.body, '_csrf')! });
      expect(res.status).to.equal(404);
    });
  });

  describe('codes', () => {
    const introspect = (token: string) =>
      http(admin.url, 'POST', '/oauth2-token/introspect', {
        rawBody: new URLSearchParams({ token, client_id: confidential.clientId, client_secret: confidential.clientSecret! }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });

    it('given a redeemed code, when it is redeemed again, then invalid_grant, and the access token and refresh family issued from it are revoked', async () => {
      const { code, verifier } = await obtainCode(admin.url, confidential, login());
      const fields = { code, code_verifier: verifier, redirect_uri: confidential.redirectUri };
      const first = await redeem(admin.url, confidential, fields);
      expect(first.status).to.equal(200);
      expect((await introspect(first.body.access_token)).body.active).to.equal(true);
      const second = await redeem(admin.url, confidential, fields);
      expect(second.status).to.equal(400);
      expect(second.body.error).to.equal('invalid_grant');
      expect((await introspect(first.body.access_token)).body.active).to.equal(false);
      const refreshed = await tokenRequest(admin.url, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: confidential.clientId, client_secret: confidential.clientSecret! });
      expect(refreshed.body.error).to.equal('invalid_grant');
    });

    it('given two redemptions of one code at once, then at most one succeeds, and whatever it got is revoked (whichever order they ran in)', async () => {
      for (let round = 0; round < 4; round++) {
        const { code, verifier } = await obtainCode(admin.url, confidential, login());
        const fields = { code, code_verifier: verifier, redirect_uri: confidential.redirectUri };
        const answers = await Promise.all([redeem(admin.url, confidential, fields), redeem(admin.url, confidential, fields)]);
        const ok = answers.filter((a) => a.status === 200);
        expect(ok.length).to.be.at.most(1);
        expect(answers.filter((a) => a.status !== 200).every((a) => a.body.error === 'invalid_grant')).to.equal(true);
        for (const { body } of ok) {
          expect((await introspect(body.access_token)).body.active).to.equal(false);
          const refreshed = await tokenRequest(admin.url, { grant_type: 'refresh_token', refresh_token: body.refresh_token, client_id: confidential.clientId, client_secret: confidential.clientSecret! });
          expect(refreshed.body.error).to.equal('invalid_grant');
        }
      }
    });

    it('given a wrong code_verifier, then invalid_grant; a missing one, invalid_request; and the code still works with the right one', async () => {
      const { code, verifier } = await obtainCode(admin.url, confidential, login());
      const wrong = await redeem(admin.url, confidential, { code, code_verifier: pkcePair().verifier, redirect_uri: confidential.redirectUri });
      expect(wrong.body.error).to.equal('invalid_grant');
      const missing = await redeem(admin.url, confidential, { code, redirect_uri: confidential.redirectUri });
      expect(missing.body.error).to.equal('invalid_request');
      const right = await redeem(admin.url, confidential, { code, code_verifier: verifier, redirect_uri: confidential.redirectUri });
      expect(right.status).to.equal(200);
    });

    it('given the authorization request named redirect_uri, when the token request omits or changes it, then invalid_grant', async () => {
      const { code, verifier } = await obtainCode(admin.url, confidential, login());
      expect((await redeem(admin.url, confidential, { code, code_verifier: verifier })).body.error).to.equal('invalid_grant');
      expect((await redeem(admin.url, confidential, { code, code_verifier: verifier, redirect_uri: 'https://client.example/other' })).body.error).to.equal('invalid_grant');
    });

    it('given a code of another client, when redeemed by this one, then invalid_grant', async () => {
      const { code, verifier } = await obtainCode(admin.url, publicApp, login());
      const res = await redeem(admin.url, confidential, { code, code_verifier: verifier, redirect_uri: publicApp.redirectUri });
      expect(res.body.error).to.equal('invalid_grant');
    });

    it('given a code older than AUTH_CODE_TTL (600 s, injected clock), when redeemed, then invalid_grant', async () => {
      const { code, verifier } = await obtainCode(admin.url, confidential, login());
      clock.advance(601);
      const res = await redeem(admin.url, confidential, { code, code_verifier: verifier, redirect_uri: confidential.redirectUri });
      expect(res.body.error).to.equal('invalid_grant');
    });

    it('given a user disabled between authorize and redeem, then invalid_grant', async () => {
      const other = await createUser(admin, { organizationIds: [admin.orgA], signIn: false });
      const { code, verifier } = await obtainCode(admin.url, confidential, { username: other.username, password: USER_PASSWORD });
      const disabled = await http(admin.url, 'PATCH', `/admin/users/${other.id}`, { token: admin.token, body: { enabled: false } });
      expect(disabled.status).to.equal(200);
      const res = await redeem(admin.url, confidential, { code, code_verifier: verifier, redirect_uri: confidential.redirectUri });
      expect(res.body.error).to.equal('invalid_grant');
    });

    it('given an application deactivated between authorize and redeem, then invalid_client', async () => {
      const app = await codeApp({ redirectUris: ['https://deactivated.example/cb'] });
      const { code, verifier } = await obtainCode(admin.url, app, login());
      const off = await http(admin.url, 'POST', `/admin/oauth-applications/${app.id}/deactivate`, { token: admin.token });
      expect(off.status).to.equal(200);
      const res = await redeem(admin.url, app, { code, code_verifier: verifier, redirect_uri: app.redirectUri });
      expect(res.body.error).to.equal('invalid_client');
    });
  });

  describe('the authorization request', () => {
    const start = async (query: Record<string, string | undefined>) => createFormAgent(admin.url).get(authorizePath(query));
    const base = () => standardQuery(confidential, pkcePair().challenge);

    for (const [label, redirectUri] of [
      ['an unregistered redirect_uri', 'https://evil.example/callback'],
      ['extra path', 'https://client.example/callback/extra'],
      ['an extra query', 'https://client.example/callback?next=https://evil.example'],
      ['userinfo', 'https://evil.example@client.example/callback'],
      ['a case change in the host', 'https://CLIENT.example/callback'],
      ['a case change in the path', 'https://client.example/Callback'],
      ['a fragment', 'https://client.example/callback#x'],
      ['http instead of https', 'http://client.example/callback'],
    ] as const) {
      it(`given ${label}, then a page (400) and never a redirect`, async () => {
        const res = await start({ ...base(), redirect_uri: redirectUri });
        expect(res.status).to.equal(400);
        expect(res.location).to.equal(undefined);
        expect(res.body).to.contain('This sign-in request cannot be accepted');
        expect(res.body).not.to.contain('evil.example/callback"');
      });
    }

    it('given no redirect_uri and several registered, then a page, never a redirect; with exactly one registered, the registered one is used', async () => {
      const several = await start({ ...base(), redirect_uri: undefined });
      expect(several.status).to.equal(400);
      expect(several.location).to.equal(undefined);
      const single = await createFormAgent(admin.url).get(authorizePath({ ...standardQuery(publicApp, pkcePair().challenge), redirect_uri: undefined }));
      expect(single.status).to.equal(303);
      expect(single.location).to.match(/^\/console\/authorize\?request=/);
    });

    it('given an unknown or missing client_id, or a client without authorization_code, then a page and no redirect', async () => {
      for (const clientId of ['nope', undefined]) {
        const res = await start({ ...base(), client_id: clientId });
        expect(res.status).to.equal(400);
        expect(res.location).to.equal(undefined);
      }
      const cc = await createApp(admin, { name: unique('cc'), ownerUserId: admin.adminId });
      const res = await start({ ...base(), client_id: cc.body.clientId });
      expect(res.status).to.equal(400);
      expect(res.location).to.equal(undefined);
    });

    it('given code_challenge_method=plain, then a redirect with invalid_request, state and iss', async () => {
      const { verifier } = pkcePair();
      const res = await start({ ...base(), code_challenge: verifier, code_challenge_method: 'plain' });
      const params = redirectParams(res);
      expect(res.location!.startsWith(confidential.redirectUri)).to.equal(true);
      expect(params.get('error')).to.equal('invalid_request');
      expect(params.get('error_description')).to.match(/S256/);
      expect(params.get('state')).to.equal('xyz-state');
      expect(params.get('iss')).to.equal(issuer());
    });

    it('given no code_challenge (PKCE is required of every client), then invalid_request', async () => {
      const params = redirectParams(await start({ ...base(), code_challenge: undefined, code_challenge_method: undefined }));
      expect(params.get('error')).to.equal('invalid_request');
    });

    it('given response_type=token, then unsupported_response_type; an unknown scope, invalid_scope; a repeated parameter, invalid_request', async () => {
      expect(redirectParams(await start({ ...base(), response_type: 'token' })).get('error')).to.equal('unsupported_response_type');
      expect(redirectParams(await start({ ...base(), scope: 'admin' })).get('error')).to.equal('invalid_scope');
      const repeated = await createFormAgent(admin.url).get(`${authorizePath(base())}&state=again`);
      expect(redirectParams(repeated).get('error')).to.equal('invalid_request');
    });

    it('given an unknown or expired request id, then a page and no redirect', async () => {
      const res = await createFormAgent(admin.url).get(`/console/authorize?request=${'A'.repeat(43)}`);
      expect(res.status).to.equal(400);
      expect(res.location).to.equal(undefined);
    });

    it('given a sign-in form whose continue field was tampered with, then the user lands on My User, not elsewhere', async () => {
      const agent = createFormAgent(admin.url);
      const page = await followToDecision(agent, await agent.get(authorizePath(base())));
      const res = await agent.post('/console/sign-in', {
        _csrf: hiddenField(page.body, '_csrf')!, continue: 'https://evil.example/', username: user.username, password: USER_PASSWORD,
      });
      expect(res.status).to.equal(303);
      expect(res.location).to.equal('/console/me');
    });
  });

  describe('who may sign in', () => {
    it('given a back-office user of another organization, when they sign in, then access_denied (the subject check of every grant)', async () => {
      const orgB = await createOrganization(admin);
      const stranger = await createUser(admin, { organizationIds: [orgB], signIn: false });
      const agent = createFormAgent(admin.url);
      const response = await followToDecision(agent, await agent.get(authorizePath(standardQuery(confidential, pkcePair().challenge))), { username: stranger.username, password: USER_PASSWORD });
      const params = redirectParams(response);
      expect(params.get('error')).to.equal('access_denied');
      expect(params.get('iss')).to.equal(issuer());
    });

    it('given a storefront (customer) user on a back-office application, when they sign in, then they are refused and get no code', async () => {
      const username = unique('customer');
      const created = await http(admin.url, 'POST', '/admin/users', {
        token: admin.token,
        body: { username, email: `${username}@example.test`, password: USER_PASSWORD, kind: 'customer', roles: ['user'], organizationIds: [admin.orgA] },
      });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const agent = createFormAgent(admin.url);
      const start = await agent.get(authorizePath(standardQuery(confidential, pkcePair().challenge)));
      const page = await followToDecision(agent, start);
      const res = await agent.post('/console/sign-in', {
        _csrf: hiddenField(page.body, '_csrf')!, continue: hiddenField(page.body, 'continue')!, username, password: USER_PASSWORD,
      });
      expect(res.status).to.equal(401);
      expect(res.location).to.equal(undefined);
      expect(res.body).to.contain('Sign in to continue to');
    });
  });
});
