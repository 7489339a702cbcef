import { expect } from 'chai';
import { createApp, createUser, http, unique, USER_PASSWORD, type Admin, type TestUser } from '../admin/adminKit.js';
import { ADMIN_PASSWORD, bootstrapAdminToken, freePort, startTestServer, type TestServer } from '../support/tollgateServer.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { obtainCode, redeem, tokenRequest, type FlowApp } from './support/codeFlow.js';
import { codeIdOf, hashAuthorizationCode } from '../../src/tokens/authorize/authorizationCodes.js';
import { toAuthorizationCodeStreamName } from '../../src/domain/shared/streamNames.js';
import { toEventMetadata } from '../../src/eventStore/eventMetadata.js';
import { newEventId } from '../../src/tokens/requestInfo.js';
import { consoleHttp } from '../console/support/consoleClient.js';

/**
 * Issuing and redeeming authorization codes in the application's history
 * (`oauthTokens-<applicationId>`, read through GET /admin/oauth-applications/:id/history),
 * and a replay's revocation surviving a crash right after the replay was recorded.
 */
describe('authorization codes in the application history', function () {
  this.timeout(60_000);
  let dir: TempDir;
  let port: string;
  let server: TestServer;
  let admin: Admin;
  let user: TestUser;
  let app: FlowApp & { id: string };
  const login = () => ({ username: user.username, password: USER_PASSWORD });

  const start = async () => {
    server = await startTestServer({ PORT: port }, { dir });
    const token = await bootstrapAdminToken(server.url);
    const me = await http(server.url, 'GET', '/admin/me', { token });
    admin = { server, url: server.url, token, adminId: me.body.id, orgA: me.body.organizationIds[0] };
  };

  const history = async (query = 'include=tokens&order=desc&perPage=100') => {
    const res = await http(admin.url, 'GET', `/admin/oauth-applications/${app.id}/history?${query}`, { token: admin.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.items as Array<{ type: string; data: Record<string, unknown>; actor: string }>;
  };

  const introspect = (token: string) =>
    http(admin.url, 'POST', '/oauth2-token/introspect', {
      rawBody: new URLSearchParams({ token, client_id: app.clientId, client_secret: app.clientSecret! }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

  before(async () => {
    dir = await createTempDir('tollgate-code-history-');
    port = String(await freePort());
    await start();
    user = await createUser(admin, { organizationIds: [admin.orgA], signIn: false });
    const res = await createApp(admin, { name: unique('history-app'), grants: ['authorization_code'], organizationId: admin.orgA, redirectUris: ['https://history.example/cb'] });
    app = { id: res.body.id, clientId: res.body.clientId, clientSecret: res.body.clientSecret, redirectUri: 'https://history.example/cb' };
  });
  after(async () => {
    await server?.stop();
    await dir?.remove();
  });

  it('given a code issued and redeemed, when the history with tokens is read, then AuthorizationCodeGranted (no code, no hash, no challenge) precedes the TokenIssued that names the same code id', async () => {
    const { code, verifier } = await obtainCode(admin.url, app, login());
    const tokens = await redeem(admin.url, app, { code, code_verifier: verifier, redirect_uri: app.redirectUri });
    expect(tokens.status).to.equal(200);
    const codeId = codeIdOf(hashAuthorizationCode(code));
    const items = await history();
    const granted = items.find((e) => e.type === 'AuthorizationCodeGranted' && e.data.codeId === codeId);
    expect(granted, JSON.stringify(items.map((e) => e.type))).to.not.equal(undefined);
    expect(granted!.data).to.include({ userId: user.id, redirectUri: app.redirectUri, codeChallengeMethod: 'S256', applicationId: app.id });
    expect(granted!.actor).to.equal(user.id);
    const text = JSON.stringify(items);
    expect(text).to.not.contain(code);
    expect(text).to.not.contain(hashAuthorizationCode(code));
    const issued = items.find((e) => e.type === 'TokenIssued' && e.data.codeId === codeId);
    expect(issued?.data).to.include({ grant: 'authorization_code', sub: user.id });
    expect(items.indexOf(granted!)).to.be.above(items.indexOf(issued!)); // newest first
    // A type filter of the new type finds it (token types are read from the token stream only).
    const filtered = await history('include=tokens&type=AuthorizationCodeGranted');
    expect(filtered.map((e) => e.type)).to.include('AuthorizationCodeGranted');
    expect(filtered.every((e) => e.type === 'AuthorizationCodeGranted')).to.equal(true);
  });

  it('given a replayed code, then the history shows the revocation with reason authorizationCodeReplay and the code id, in the CSV export too', async () => {
    const { code, verifier } = await obtainCode(admin.url, app, login());
    const fields = { code, code_verifier: verifier, redirect_uri: app.redirectUri };
    expect((await redeem(admin.url, app, fields)).status).to.equal(200);
    expect((await redeem(admin.url, app, fields)).body.error).to.equal('invalid_grant');
    const codeId = codeIdOf(hashAuthorizationCode(code));
    const items = await history();
    const replay = items.find((e) => e.type === 'TokenRevoked' && e.data.codeId === codeId);
    expect(replay?.data.reason).to.equal('authorizationCodeReplay');
    const csv = await http(admin.url, 'GET', `/admin/oauth-applications/${app.id}/history?include=tokens&format=csv`, { token: admin.token });
    expect(csv.status).to.equal(200);
    const rows = String(csv.body).split('\n').filter((line) => line.includes(codeId));
    expect(rows.some((line) => line.includes(',AuthorizationCodeGranted,'))).to.equal(true);
    expect(rows.some((line) => line.includes(',TokenRevoked,') && line.includes('authorizationCodeReplay'))).to.equal(true);
  });

  it('given the console Tokens tab, then codes read as issued, redeemed and replayed', async () => {
    const { code, verifier } = await obtainCode(admin.url, app, login());
    const fields = { code, code_verifier: verifier, redirect_uri: app.redirectUri };
    expect((await redeem(admin.url, app, fields)).status).to.equal(200);
    expect((await redeem(admin.url, app, fields)).status).to.equal(400);
    const codeId = codeIdOf(hashAuthorizationCode(code));
    // The back-office user signed in for the flow is no administrator: sign the admin in.
    const console = consoleHttp(admin.url);
    expect((await console.signIn('admin', ADMIN_PASSWORD)).status).to.equal(303);
    const page = await console.get(`/console/oauth-applications/${app.id}?tab=tokens&perPage=50`);
    expect(page.status, page.html).to.equal(200);
    expect(page.html).to.contain(`Authorization code ${codeId} issued for https://history.example/cb`);
    expect(page.html).to.contain(`Issued (code ${codeId} redeemed)`);
    expect(page.html).to.contain(`Revoked (authorization code replayed: code ${codeId})`);
  });

  it('given a crash right after a replay was recorded (before its revocations were written), when the server starts again, then the access token is inactive and the refresh token refused and revoked', async () => {
    const { code, verifier } = await obtainCode(admin.url, app, login());
    const tokens = await redeem(admin.url, app, { code, code_verifier: verifier, redirect_uri: app.redirectUri });
    expect(tokens.status).to.equal(200);
    const codeHash = hashAuthorizationCode(code);
    const stream = toAuthorizationCodeStreamName(codeHash);
    const redeemed = (await server.tollgate.store.readStream(stream)).find((e) => e.type === 'AuthorizationCodeRedeemed')!;
    // What the grant appends first on a second redemption, and nothing after it (the crash).
    await server.tollgate.store.appendToStream(stream, [{
      id: newEventId(),
      type: 'AuthorizationCodeReplayed',
      data: redeemed.data,
      metadata: toEventMetadata('AuthorizationCodeReplayed', { actor: `client:${app.clientId}`, actorKind: 'client', via: app.clientId, now: new Date(), correlationId: newEventId() }),
    }]);
    await server.stop();
    await start();
    expect((await introspect(tokens.body.access_token)).body.active).to.equal(false);
    const refresh = { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: app.clientId, client_secret: app.clientSecret! };
    expect((await tokenRequest(admin.url, refresh)).body.error).to.equal('invalid_grant');
    const familyId = (redeemed.data as { familyId: string }).familyId;
    const family = await server.tollgate.store.readStream(`refreshTokenFamily-${familyId}`);
    expect(family.map((e) => e.type)).to.include('RefreshTokenFamilyRevoked');
  });
});
