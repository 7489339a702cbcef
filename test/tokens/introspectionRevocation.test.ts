import { expect } from 'chai';
import { startTokenServer, type TokenServer } from './support/tokenServer.js';
import { removeApp, seedApp, seedWorld, setActive, userCommand } from './support/seed.js';
import { post } from './support/http.js';

describe('POST /oauth2-token/introspect and /oauth2-token/revoke', () => {
  let server: TokenServer;
  let world: Awaited<ReturnType<typeof seedWorld>>;

  before(async () => {
    server = await startTokenServer();
    world = await seedWorld(server);
  });
  after(() => server.close());

  const creds = (app: { clientId: string; clientSecret: string }) => ({ client_id: app.clientId, client_secret: app.clientSecret });
  const ccToken = async (app = world.ccApp) =>
    (await post(server.url, { grant_type: 'client_credentials', ...creds(app) })).body.access_token as string;
  const introspect = (token: string, by = world.ccApp, extra: Record<string, string> = {}) =>
    post(server.url, { token, ...creds(by), ...extra }, { path: '/oauth2-token/introspect' });
  const revoke = (token: string, by = world.ccApp, extra: Record<string, string> = {}) =>
    post(server.url, { token, ...creds(by), ...extra }, { path: '/oauth2-token/revoke' });

  it('introspects a live access token with its claims (any authenticated client may ask)', async () => {
    const token = await ccToken();
    const a = await introspect(token, world.passwordApp);
    expect(a.status).to.equal(200);
    expect(a.headers['cache-control']).to.equal('no-store');
    expect(a.body).to.include({ active: true, client_id: world.ccApp.clientId, sub: world.admin.userId, scope: 'read write', iss: server.issuer, token_type: 'Bearer' });
    expect(a.body.username).to.equal(world.admin.username);
  });

  it('answers {active:false} for garbage, a token signed by someone else, and an expired token', async () => {
    expect((await introspect('not-a-token')).body).to.deep.equal({ active: false });
    const token = await ccToken();
    const [h, p] = token.split('.');
    expect((await introspect(`${h}.${p}.${'A'.repeat(342)}`)).body).to.deep.equal({ active: false });
    server.clock.advance(3601);
    try {
      expect((await introspect(token)).body).to.deep.equal({ active: false });
    } finally {
      server.clock.advance(-3601);
    }
  });

  it('makes tokens of a deactivated or deleted application inactive at once, and a reactivated one active again', async () => {
    const app = await seedApp(server, { name: 'lifecycle', organizationId: world.organizationId, ownerUserId: world.admin.userId, grants: ['client_credentials'] });
    const token = await ccToken(app);
    expect((await introspect(token)).body.active).to.equal(true);
    await setActive(server, app.applicationId, false);
    expect((await introspect(token)).body).to.deep.equal({ active: false });
    await setActive(server, app.applicationId, true);
    expect((await introspect(token)).body.active).to.equal(true);
    await removeApp(server, app.applicationId);
    expect((await introspect(token)).body).to.deep.equal({ active: false });
  });

  it('makes tokens of a disabled owner inactive', async () => {
    const token = await ccToken(world.storefrontApp);
    expect((await introspect(token)).body.active).to.equal(true);
    await userCommand(server, world.customer.userId, 'DisableUser');
    try {
      expect((await introspect(token)).body).to.deep.equal({ active: false });
    } finally {
      await userCommand(server, world.customer.userId, 'EnableUser');
    }
  });

  it('revokes an access token of the calling client (RFC 7009): 200, then inactive, audited as TokenRevoked', async () => {
    const token = await ccToken();
    const a = await revoke(token, world.ccApp, { token_type_hint: 'access_token' });
    expect(a.status).to.equal(200);
    expect((await introspect(token)).body).to.deep.equal({ active: false });
    const events = await server.store.readStream(`oauthTokens-${world.ccApp.applicationId}`);
    expect(events.some((e) => e.type === 'TokenRevoked')).to.equal(true);
  });

  it("answers 200 for unknown tokens and ignores another client's token", async () => {
    expect((await revoke('unknown-token')).status).to.equal(200);
    expect((await revoke(`${'A'.repeat(22)}.${'B'.repeat(43)}`, world.ccApp, { token_type_hint: 'refresh_token' })).status).to.equal(200);
    const token = await ccToken();
    expect((await revoke(token, world.passwordApp)).status).to.equal(200);
    expect((await introspect(token)).body.active).to.equal(true);
  });

  it('revokes a refresh token with its family and access tokens; introspects refresh tokens for their own client only', async () => {
    const login = await post(server.url, { grant_type: 'password', ...creds(world.passwordApp), username: world.admin.username, password: world.admin.password });
    const { access_token: access, refresh_token: refresh } = login.body as { access_token: string; refresh_token: string };
    const own = await introspect(refresh, world.passwordApp);
    expect(own.body).to.include({ active: true, token_type: 'refresh_token', client_id: world.passwordApp.clientId, sub: world.admin.userId });
    expect((await introspect(refresh, world.ccApp)).body).to.deep.equal({ active: false });

    expect((await revoke(refresh, world.passwordApp)).status).to.equal(200);
    expect((await introspect(refresh, world.passwordApp)).body).to.deep.equal({ active: false });
    expect((await introspect(access)).body).to.deep.equal({ active: false });
    const again = await post(server.url, { grant_type: 'refresh_token', ...creds(world.passwordApp), refresh_token: refresh });
    expect(again.body.error).to.equal('invalid_grant');
  });

  it('requires client authentication and a token parameter', async () => {
    const token = await ccToken();
    const noAuth = await post(server.url, { token }, { path: '/oauth2-token/introspect' });
    expect(noAuth.status).to.equal(401);
    expect(noAuth.body.error).to.equal('invalid_client');
    const noAuthRevoke = await post(server.url, { token }, { path: '/oauth2-token/revoke' });
    expect(noAuthRevoke.status).to.equal(401);
    const missing = await post(server.url, creds(world.ccApp), { path: '/oauth2-token/introspect' });
    expect(missing.body.error).to.equal('invalid_request');
    const missingRevoke = await post(server.url, creds(world.ccApp), { path: '/oauth2-token/revoke' });
    expect(missingRevoke.body.error).to.equal('invalid_request');
  });
});
