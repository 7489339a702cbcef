import { expect } from 'chai';
import { READ_ONLY_REFUSAL } from '../../src/authorization/readOnlyAccess.js';
import { CONSOLE_CLIENT_ID } from '../../src/domain/application/consoleClient.js';
import { createTestClock } from '../tokens/support/tokenServer.js';
import { createApp, createUser, http, unique, USER_PASSWORD, type Admin } from '../admin/adminKit.js';
import { bootstrapAdminToken, startTestServer } from '../support/tollgateServer.js';
import { createFormAgent, hiddenField, pkcePair } from './support/formAgent.js';
import { authorizePath, obtainCode, redeem, tokenRequest, type FlowApp } from './support/codeFlow.js';

/**
 * The integration of authorization_code (issue 15) with main's rules: sessions end when
 * credentials change for code-flow tokens too (auth_time from the code), an auditor's grant
 * gives read-only tokens (the admin API's write guard), and Tollgate's own first-party client
 * is not an authorization_code client.
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

  it('given an auditor, when they grant the application access, then its tokens read as the auditor and every write is refused read-only; they may revoke the grant', async () => {
    const auditor = await createUser(admin, { organizationIds: [admin.orgA], roles: ['auditor'], signIn: false });
    const agent = createFormAgent(admin.url);
    const { code, verifier } = await obtainCode(admin.url, app, { username: auditor.username, password: USER_PASSWORD }, { agent });
    const tokens = await redeem(admin.url, app, { code, code_verifier: verifier, redirect_uri: app.redirectUri });
    expect(tokens.status, JSON.stringify(tokens.body)).to.equal(200);
    const read = await http(admin.url, 'GET', '/admin/oauth-applications', { token: tokens.body.access_token });
    expect(read.status, JSON.stringify(read.body)).to.equal(200);
    const write = await http(admin.url, 'POST', '/admin/organizations', { token: tokens.body.access_token, body: { name: unique('org') } });
    expect(write.status).to.equal(403);
    expect(write.body.detail).to.equal(READ_ONLY_REFUSAL);
    const me = await agent.get('/console/me');
    const revoke = await agent.post(`/console/me/consents/${app.id}/revoke`, { _csrf: hiddenField(me.body, '_csrf')! });
    expect(revoke.status, revoke.body).to.equal(303);
    const refreshed = await tokenRequest(admin.url, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: app.clientId, client_secret: app.clientSecret! });
    expect(refreshed.body.error).to.equal('invalid_grant');
  });

  it('given the console\'s own first-party client, when named at the authorization endpoint, then a page (400) and never a redirect', async () => {
    const res = await createFormAgent(admin.url).get(authorizePath({
      response_type: 'code', client_id: CONSOLE_CLIENT_ID, redirect_uri: 'https://rules.example/cb', code_challenge: pkcePair().challenge, code_challenge_method: 'S256',
    }));
    expect(res.status).to.equal(400);
    expect(res.location).to.equal(undefined);
  });
});
