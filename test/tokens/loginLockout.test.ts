import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { expect } from 'chai';
import { startTokenServer, type TokenServer } from './support/tokenServer.js';
import { seedApp, seedOrganization, seedUser, userCommand, type SeededApp, type SeededUser } from './support/seed.js';
import { post, type HttpAnswer } from './support/http.js';
import { holdLock, release } from '../eventStore/fixtures/childProcess.js';

/**
 * Brute-force protection through real HTTP with the server's clock injected: the lockout
 * expires, the wait grows, the quiet period forgets, clients of another organization count
 * nothing, and a temporary lockout stops password sign-ins only.
 */
describe('password grant: temporary lockout (Keycloak-style, injected clock)', function () {
  this.timeout(60_000);
  let server: TokenServer;
  let orgA: string;
  let ownApp: SeededApp;
  let foreignBackOffice: SeededApp;
  let foreignStorefront: SeededApp;
  const INVALID = { error: 'invalid_grant', error_description: 'the resource owner credentials are invalid' };

  before(async () => {
    server = await startTokenServer({
      settings: { loginFailureLimit: 3, loginLockout: { waitSeconds: 60, maxWaitSeconds: 150, failureResetSeconds: 3600 } },
    });
    orgA = await seedOrganization(server);
    const orgB = await seedOrganization(server);
    const customerB = await seedUser(server, { organizationIds: [orgB], kind: 'customer' });
    ownApp = await seedApp(server, { name: 'A password', organizationId: orgA, ownerUserId: null, grants: ['password'], scopes: ['read'] });
    foreignBackOffice = await seedApp(server, { name: 'B password', organizationId: orgB, ownerUserId: null, grants: ['password'] });
    foreignStorefront = await seedApp(server, {
      name: 'B storefront', organizationId: orgB, ownerUserId: customerB.userId, grants: ['client_credentials', 'password'],
    });
  });
  after(() => server.close());

  const login = (user: { username: string }, password: string, app: SeededApp = ownApp): Promise<HttpAnswer> =>
    post(server.url, { grant_type: 'password', client_id: app.clientId, client_secret: app.clientSecret, username: user.username, password });
  const fail = async (user: SeededUser, times: number, app: SeededApp = ownApp): Promise<void> => {
    for (let i = 0; i < times; i++) expect((await login(user, `wrong-${i}`, app)).body).to.deep.equal(INVALID);
    await server.service.deps.loginAttempts.idle();
  };
  const typesOf = async (user: SeededUser): Promise<string[]> =>
    (await server.store.readStream(`user-${user.userId}`)).map((e) => e.type);
  const newUser = () => seedUser(server, { organizationIds: [orgA] });

  it('given LOGIN_FAILURE_LIMIT failures, then the right password is refused during the wait, works after it, and the history shows both ends', async () => {
    const user = await newUser();
    await fail(user, 3);
    expect((await login(user, user.password)).body).to.deep.equal(INVALID);
    server.clock.advance(59);
    expect((await login(user, user.password)).body).to.deep.equal(INVALID);
    server.clock.advance(2);
    expect((await login(user, user.password)).status).to.equal(200);
    await server.service.deps.loginAttempts.idle();
    expect(await typesOf(user)).to.deep.equal([
      'UserRegistered', 'UserLoginFailed', 'UserLoginFailed', 'UserLoginFailed', 'UserLockedOut', 'UserLockoutEnded', 'UserLoginFailuresReset',
    ]);
  });

  it('given a second lockout in a row, then it waits longer (two increments), and attempts during a lockout count nothing', async () => {
    const user = await newUser();
    await fail(user, 3);
    await fail(user, 5); // refused during the lockout, not counted
    server.clock.advance(61);
    await fail(user, 3);
    const events = await server.store.readStream(`user-${user.userId}`);
    const lockouts = events.filter((e) => e.type === 'UserLockedOut').map((e) => (e.data as { waitSeconds: number }).waitSeconds);
    expect(lockouts).to.deep.equal([60, 120]);
    expect(events.filter((e) => e.type === 'UserLoginFailed')).to.have.length(6);
    server.clock.advance(61);
    expect((await login(user, user.password)).body, 'still locked out after the first wait').to.deep.equal(INVALID);
    server.clock.advance(60);
    expect((await login(user, user.password)).status).to.equal(200);
  });

  it('given failures followed by a quiet period, then they are forgotten and do not add up to a lockout', async () => {
    const user = await newUser();
    await fail(user, 2);
    server.clock.advance(3601);
    await fail(user, 2);
    expect((await login(user, user.password)).status).to.equal(200);
  });

  it("given another organization's clients (back office and storefront), then wrong passwords count nothing and the right one is refused in the same words", async () => {
    const user = await newUser();
    await fail(user, 10, foreignBackOffice);
    await fail(user, 10, foreignStorefront);
    expect(await typesOf(user)).to.deep.equal(['UserRegistered']);
    expect((await login(user, user.password, foreignBackOffice)).body).to.deep.equal(INVALID);
    expect((await login(user, user.password, foreignStorefront)).body).to.deep.equal(INVALID);
    expect((await login({ username: 'nobody-at-all' }, 'whatever', ownApp)).body).to.deep.equal(INVALID);
    expect((await login(user, user.password)).status).to.equal(200);
  });

  it("given a temporary lockout, then the user's access token, refresh token and client_credentials application keep working", async () => {
    const user = await newUser();
    const app = await seedApp(server, { name: `cc of ${user.username}`, organizationId: orgA, ownerUserId: user.userId, grants: ['client_credentials'] });
    const signedIn = await login(user, user.password);
    expect(signedIn.status).to.equal(200);
    await fail(user, 3);
    expect(server.cache.user(user.userId)?.lockedOutUntil).to.be.a('string');
    const introspection = await post(server.url, { token: signedIn.body.access_token, client_id: ownApp.clientId, client_secret: ownApp.clientSecret }, { path: '/oauth2-token/introspect' });
    expect(introspection.body.active).to.equal(true);
    const refreshed = await post(server.url, { grant_type: 'refresh_token', client_id: ownApp.clientId, client_secret: ownApp.clientSecret, refresh_token: signedIn.body.refresh_token });
    expect(refreshed.status).to.equal(200);
    const cc = await post(server.url, { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret });
    expect(cc.status).to.equal(200);
  });

  it("given an administrator's lock, then everything stops, as before", async () => {
    const user = await newUser();
    const app = await seedApp(server, { name: `cc of ${user.username}`, organizationId: orgA, ownerUserId: user.userId, grants: ['client_credentials'] });
    const signedIn = await login(user, user.password);
    server.clock.advance(1);
    await userCommand(server, user.userId, 'LockUser');
    const introspection = await post(server.url, { token: signedIn.body.access_token, client_id: ownApp.clientId, client_secret: ownApp.clientSecret }, { path: '/oauth2-token/introspect' });
    expect(introspection.body).to.deep.equal({ active: false });
    expect((await post(server.url, { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret })).body.error).to.equal('invalid_grant');
    expect((await login(user, user.password)).body).to.deep.equal(INVALID);
  });

  it('given a burst of parallel wrong guesses, then at most LOGIN_FAILURE_LIMIT passwords are checked before the lockout', async () => {
    const user = await newUser();
    const dummySalt = Buffer.alloc(16, 7);
    const realScrypt = crypto.scrypt;
    let realChecks = 0;
    (crypto as { scrypt: unknown }).scrypt = (...args: unknown[]) => {
      if (Buffer.isBuffer(args[1]) && !dummySalt.equals(args[1])) realChecks += 1;
      return (realScrypt as (...a: unknown[]) => void)(...args);
    };
    syncBuiltinESMExports();
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login(user, `guess-${i}`)));
      for (const a of answers) expect(a.body).to.deep.equal(INVALID);
    } finally {
      (crypto as { scrypt: unknown }).scrypt = realScrypt;
      syncBuiltinESMExports();
    }
    await server.service.deps.loginAttempts.idle();
    expect(realChecks).to.be.at.most(3);
    expect(await typesOf(user)).to.include('UserLockedOut');
  });

  it('given a store another process keeps from being written, then a wrong password is answered invalid_grant all the same (the record is off the response path), and recorded once it can be', async () => {
    const user = await newUser();
    const holder = await holdLock(server.dir.file('events.sqlite'), 'write');
    let answer: HttpAnswer;
    try {
      answer = await login(user, 'wrong-while-locked');
    } finally {
      await release(holder);
    }
    expect(answer.body).to.deep.equal(INVALID);
    await server.service.deps.loginAttempts.idle();
    expect(await typesOf(user)).to.deep.equal(['UserRegistered', 'UserLoginFailed']);
  });
});
