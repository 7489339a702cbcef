import { expect } from 'chai';
import { CONSOLE_CLIENT_ID } from '../../src/domain/application/consoleClient.js';
import { createTestClock } from '../tokens/support/tokenServer.js';
import { createApp, createUser, http, unique, USER_PASSWORD, type Admin } from '../admin/adminKit.js';
import { bootstrapAdminToken, startTestServer } from '../support/tollgateServer.js';
import { createFormAgent, hiddenField, pkcePair } from './support/formAgent.js';
import { authorizePath, decide, followToDecision, obtainCode, redeem, redirectParams, tokenRequest, type FlowApp } from './support/codeFlow.js';

/**
 * The integration of authorization_code (issue 15) with main's rules: sessions end when
 * credentials change for code-flow tokens too (auth_time from the code), code-flow tokens never
 * carry the admin API's audience (apiAudiencePolicy.ts: a consenting user's admin authority is
 * not handed to an application), and Tollgate's own first-party client is not an
 * authorization_code client.
 */
describe('authorization_code under main\'s rules: sessions end, auditor, first-party', function () {
  this.timeout(60_000);
  const clock = createTestClock();
  let admin: Admin;
  let app: FlowApp & { id: string };

  before(async () => {
    const server = await startTestServer({ READ_YOUR_WRITES_TIMEOUT_MS: '300' }, { now: clock.now });
    const token = await bootstrapAdminToken(server.url);
    const me = await http(server.url, 'GET', '/admin/me', { token });
    admin = { server, url: server.url, token, adminId: me.body.id, orgA: me.body.organizationIds[0] };
    const created = await createApp(admin, { name: unique('rules-app'), grants: ['authorization_code'], organizationId: admin.orgA, redirectUris: ['https://rules.example/cb'] });
    app = { id: created.body.id, clientId: created.body.clientId, clientSecret: created.body.clientSecret, redirectUri: 'https://rules.example/cb' };
  });
  after(async () => admin?.server.stop());

  const introspect = (token: string) =>
    http(admin.url, 'POST', '/oauth2-token/introspect', {
      rawBody: new URLSearchParams({ token, client_id: app.clientId, client_secret: app.clientSecret! }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const codeFlowTokens = async (username: string) => {
    const { code, verifier } = await obtainCode(admin.url, app, { username, password: USER_PASSWORD });
    const tokens = await redeem(admin.url, app, { code, code_verifier: verifier, redirect_uri: app.redirectUri });
    expect(tokens.status, JSON.stringify(tokens.body)).to.equal(200);
    return tokens.body as { access_token: string; refresh_token: string };
  };

  it('given code-flow tokens, when an administrator resets the user\'s password, then the access and refresh tokens are over (auth_time from the code)', async () => {
    const user = await createUser(admin, { organizationIds: [admin.orgA], signIn: false });
    const tokens = await codeFlowTokens(user.username);
    expect((await introspect(tokens.access_token)).body.active).to.equal(true);
    clock.advance(2);
    const reset = await http(admin.url, 'PATCH', `/admin/users/${user.id}`, { token: admin.token, body: { password: 'a-new-password-456' } });
    expect(reset.status, JSON.stringify(reset.body)).to.equal(200);
    expect((await introspect(tokens.access_token)).body).to.deep.equal({ active: false });
    const refreshed = await tokenRequest(admin.url, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: app.clientId, client_secret: app.clientSecret! });
    expect(refreshed.body.error).to.equal('invalid_grant');
  });

  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { aud: string | string[] };
  const adminAudience = () => `${admin.server.config.issuer.replace(/\/+$/, '')}/admin`;

  it('given an auditor, when they grant the application access, then its tokens do not reach the admin API at all (no admin audience through authorization_code); they may revoke the grant', async () => {
    const auditor = await createUser(admin, { organizationIds: [admin.orgA], roles: ['auditor'], signIn: false });
    const agent = createFormAgent(admin.url);
    const { code, verifier } = await obtainCode(admin.url, app, { username: auditor.username, password: USER_PASSWORD }, { agent });
    const tokens = await redeem(admin.url, app, { code, code_verifier: verifier, redirect_uri: app.redirectUri });
    expect(tokens.status, JSON.stringify(tokens.body)).to.equal(200);
    const read = await http(admin.url, 'GET', '/admin/oauth-applications', { token: tokens.body.access_token });
    expect(read.status).to.equal(401);
    const me = await agent.get('/console/me');
    const revoke = await agent.post(`/console/me/consents/${app.id}/revoke`, { _csrf: hiddenField(me.body, '_csrf')! });
    expect(revoke.status, revoke.body).to.equal(303);
    const refreshed = await tokenRequest(admin.url, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: app.clientId, client_secret: app.clientSecret! });
    expect(refreshed.body.error).to.equal('invalid_grant');
  });

  it('given a third-party application with "Support all APIs" and an administrator who grants it, when it calls the admin API with the code-flow token or its refreshed token, then 401: it cannot act as the administrator there', async () => {
    const created = await createApp(admin, { name: unique('third-party'), grants: ['authorization_code'], organizationId: admin.orgA, redirectUris: ['https://third-party.example/cb'], allApis: true });
    const thirdParty = { clientId: created.body.clientId, clientSecret: created.body.clientSecret, redirectUri: 'https://third-party.example/cb' };
    const administrator = await createUser(admin, { organizationIds: [admin.orgA], roles: ['admin'], signIn: false });
    const agent = createFormAgent(admin.url);
    const { challenge, verifier } = pkcePair();
    const start = await agent.get(authorizePath({ response_type: 'code', client_id: thirdParty.clientId, redirect_uri: thirdParty.redirectUri, code_challenge: challenge, code_challenge_method: 'S256' }));
    const consent = await followToDecision(agent, start, { username: administrator.username, password: USER_PASSWORD });
    // The consent page names what the tokens reach, and the admin API is not among it.
    expect(consent.body).to.contain('JSON:API');
    expect(consent.body).to.not.contain('Tollgate admin API');
    const code = redirectParams(await decide(agent, consent, 'grant')).get('code')!;
    const tokens = await redeem(admin.url, thirdParty, { code, code_verifier: verifier, redirect_uri: thirdParty.redirectUri });
    expect(tokens.status, JSON.stringify(tokens.body)).to.equal(200);
    expect([claimsOf(tokens.body.access_token).aud].flat()).to.not.include(adminAudience());
    const attack = await http(admin.url, 'POST', '/admin/organizations', { token: tokens.body.access_token, body: { name: unique('stolen-org') } });
    expect(attack.status).to.equal(401);
    const refreshed = await tokenRequest(admin.url, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: thirdParty.clientId, client_secret: thirdParty.clientSecret! });
    expect(refreshed.status, JSON.stringify(refreshed.body)).to.equal(200);
    expect([claimsOf(refreshed.body.access_token).aud].flat()).to.not.include(adminAudience());
    expect((await http(admin.url, 'GET', '/admin/users', { token: refreshed.body.access_token })).status).to.equal(401);
  });

  it('given an application with both the password grant and the admin API, then its password tokens keep the admin audience (the user gave it their password)', async () => {
    const created = await createApp(admin, { name: unique('trusted'), grants: ['password'], organizationId: admin.orgA, allApis: true });
    const user = await createUser(admin, { organizationIds: [admin.orgA], signIn: false });
    const res = await tokenRequest(admin.url, { grant_type: 'password', username: user.username, password: USER_PASSWORD, client_id: created.body.clientId, client_secret: created.body.clientSecret });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect([claimsOf(res.body.access_token).aud].flat()).to.include(adminAudience());
  });

  it('given the console\'s own first-party client, when named at the authorization endpoint, then a page (400) and never a redirect', async () => {
    const res = await createFormAgent(admin.url).get(authorizePath({
      response_type: 'code', client_id: CONSOLE_CLIENT_ID, redirect_uri: 'https://rules.example/cb', code_challenge: pkcePair().challenge, code_challenge_method: 'S256',
    }));
    expect(res.status).to.equal(400);
    expect(res.location).to.equal(undefined);
  });
});
