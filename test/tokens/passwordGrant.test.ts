import { expect } from 'chai';
import { startTokenServer, type TokenServer } from './support/tokenServer.js';
import { seedApp, seedOrganization, seedUser, seedWorld, userCommand } from './support/seed.js';
import { decodeJwt, post } from './support/http.js';

describe('POST /oauth2-token — password grant', () => {
  let server: TokenServer;
  let world: Awaited<ReturnType<typeof seedWorld>>;

  before(async () => {
    server = await startTokenServer({ settings: { loginFailureLimit: 3 } });
    world = await seedWorld(server);
  });
  after(() => server.close());

  const login = (username: string, password: string, extra: Record<string, string> = {}) =>
    post(server.url, {
      grant_type: 'password',
      client_id: world.passwordApp.clientId,
      client_secret: world.passwordApp.clientSecret,
      username,
      password,
      ...extra,
    });

  it('given a user of the app organization with the right password, then access and refresh tokens for that user', async () => {
    const a = await login(world.admin.username, world.admin.password);
    expect(a.status).to.equal(200);
    expect(a.body).to.include({ token_type: 'Bearer', expires_in: 3600, scope: 'read' });
    expect(a.body.refresh_token).to.match(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(decodeJwt(a.body.access_token as string).payload.sub).to.equal(world.admin.userId);
    const family = await server.store.readAll({ filter: { streamPrefixes: ['refreshTokenFamily-'] } });
    expect(JSON.stringify(family)).not.to.include(a.body.refresh_token as string);
  });

  it('answers the same invalid_grant for an unknown user, a wrong password, a locked and a disabled user', async () => {
    const locked = await seedUser(server, { organizationIds: [world.organizationId] });
    const disabled = await seedUser(server, { organizationIds: [world.organizationId] });
    await userCommand(server, locked.userId, 'LockUser');
    await userCommand(server, disabled.userId, 'DisableUser');
    const answers = [
      await login('nobody-at-all', 'whatever-password'),
      await login(world.admin.username, 'wrong password'),
      await login(locked.username, locked.password),
      await login(disabled.username, disabled.password),
    ];
    for (const a of answers) {
      expect(a.status).to.equal(400);
      expect(a.body).to.deep.equal(answers[0]!.body);
      expect(a.body.error).to.equal('invalid_grant');
    }
  });

  const recorded = () => server.service.deps.loginAttempts.idle();

  it('given LOGIN_FAILURE_LIMIT consecutive wrong passwords, then the user is locked out by an event and the right password no longer works', async () => {
    const victim = await seedUser(server, { organizationIds: [world.organizationId] });
    for (let i = 0; i < 3; i++) expect((await login(victim.username, `wrong-${i}`)).body.error).to.equal('invalid_grant');
    await recorded();
    const events = await server.store.readStream(`user-${victim.userId}`);
    expect(events.map((e) => e.type)).to.include.members(['UserLoginFailed', 'UserLockedOut']);
    expect(server.cache.user(victim.userId)?.locked, "not an administrator's lock").to.equal(false);
    const a = await login(victim.username, victim.password);
    expect(a.body.error).to.equal('invalid_grant');
  });

  it('given failures below the limit, then a successful login resets the count', async () => {
    const user = await seedUser(server, { organizationIds: [world.organizationId] });
    await login(user.username, 'wrong-1');
    await login(user.username, 'wrong-2');
    await recorded();
    expect((await login(user.username, user.password)).status).to.equal(200);
    await recorded();
    expect(server.cache.user(user.userId)?.loginFailures).to.equal(0);
    await login(user.username, 'wrong-3');
    await login(user.username, 'wrong-4');
    await recorded();
    expect((await login(user.username, user.password)).status).to.equal(200);
  });

  it('given a user of another organization, then invalid_grant', async () => {
    const otherOrg = await seedOrganization(server);
    const outsider = await seedUser(server, { organizationIds: [otherOrg] });
    const a = await login(outsider.username, outsider.password);
    expect(a.status).to.equal(400);
    expect(a.body.error).to.equal('invalid_grant');
  });

  it('given missing username or password, then invalid_request', async () => {
    const a = await post(server.url, { grant_type: 'password', client_id: world.passwordApp.clientId, client_secret: world.passwordApp.clientSecret, username: 'x' });
    expect(a.body.error).to.equal('invalid_request');
    const b = await post(server.url, { grant_type: 'password', client_id: world.passwordApp.clientId, client_secret: world.passwordApp.clientSecret, password: 'x' });
    expect(b.body.error).to.equal('invalid_request');
  });

  it('given REFRESH_TOKENS=off, then no refresh token is issued and the refresh_token grant is unsupported', async () => {
    const off = await startTokenServer({ settings: { refreshTokens: false } });
    try {
      const org = await seedOrganization(off);
      const user = await seedUser(off, { organizationIds: [org] });
      const app = await seedApp(off, { name: 'pw', organizationId: org, ownerUserId: null, grants: ['password'] });
      const a = await post(off.url, { grant_type: 'password', client_id: app.clientId, client_secret: app.clientSecret, username: user.username, password: user.password });
      expect(a.status).to.equal(200);
      expect(a.body).not.to.have.property('refresh_token');
      const r = await post(off.url, { grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: 'x' });
      expect(r.body.error).to.equal('unsupported_grant_type');
    } finally {
      await off.close();
    }
  });
});
