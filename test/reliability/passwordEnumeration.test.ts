import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { expect } from 'chai';
import { bootstrapAdminToken, http, startTestServer, type HttpResult, type TestServer } from '../support/tollgateServer.js';

/**
 * No user enumeration on the password grant: unknown user, wrong password, locked and
 * disabled users get one identical answer, and every one of them costs exactly one scrypt
 * derivation — counted by wrapping node:crypto's scrypt (the real one still runs), not by
 * timing.
 */
describe('password grant: no user enumeration', function () {
  this.timeout(60_000);
  let server: TestServer;
  let app: { clientId: string; clientSecret: string };
  const users: Record<string, { username: string; password: string }> = {};
  let scryptCalls = 0;
  const realScrypt = crypto.scrypt;

  before(async () => {
    server = await startTestServer({ LOGIN_FAILURE_LIMIT: '3' }, { runWorker: false });
    const admin = await bootstrapAdminToken(server.url);
    const me = await http(server.url, 'GET', '/admin/me', { token: admin });
    const created = await http(server.url, 'POST', '/admin/oauth-applications', { token: admin, body: { name: 'pw app', grants: ['password'] } });
    app = { clientId: created.body.clientId, clientSecret: created.body.clientSecret };
    for (const name of ['alice', 'locked', 'disabled']) {
      const password = `${name}-password-123`;
      const res = await http(server.url, 'POST', '/admin/users', {
        token: admin,
        body: { username: name, email: `${name}@example.com`, password, kind: 'backOffice', roles: ['user'], organizationIds: me.body.organizationIds },
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      users[name] = { username: name, password };
      if (name !== 'alice') {
        const patch = await http(server.url, 'PATCH', `/admin/users/${res.body.id}`, { token: admin, body: name === 'locked' ? { locked: true } : { enabled: false } });
        expect(patch.status, JSON.stringify(patch.body)).to.equal(200);
      }
    }
    // Count every scrypt derivation from here on; ESM named imports of node:crypto see the
    // wrapper once the builtin's exports are synced.
    (crypto as { scrypt: unknown }).scrypt = (...args: unknown[]) => {
      scryptCalls += 1;
      return (realScrypt as (...a: unknown[]) => void)(...args);
    };
    syncBuiltinESMExports();
  });
  after(async () => {
    (crypto as { scrypt: unknown }).scrypt = realScrypt;
    syncBuiltinESMExports();
    await server?.stop();
  });

  const login = async (username: string, password: string): Promise<HttpResult & { kdf: number }> => {
    const before = scryptCalls;
    const res = await http(server.url, 'POST', '/oauth2-token', {
      rawBody: new URLSearchParams({ grant_type: 'password', client_id: app.clientId, client_secret: app.clientSecret, username, password }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    return { ...res, kdf: scryptCalls - before };
  };

  it('given a right password, then 200 after one derivation (the wrapper counts real work)', async () => {
    const ok = await login('alice', users.alice!.password);
    expect(ok.status).to.equal(200);
    expect(ok.kdf).to.equal(1);
  });

  it('unknown user, wrong password, locked user (right or wrong password), disabled user: same status, same body, one derivation each', async () => {
    const answers = {
      unknownUser: await login('nobody-here', 'some-password-1'),
      unknownUserEmptyish: await login('x'.repeat(300), 'p'),
      wrongPassword: await login('alice', 'wrong-password-1'),
      lockedRightPassword: await login('locked', users.locked!.password),
      lockedWrongPassword: await login('locked', 'wrong-password-1'),
      disabledRightPassword: await login('disabled', users.disabled!.password),
    };
    for (const [what, answer] of Object.entries(answers)) {
      expect(answer.status, what).to.equal(400);
      expect(answer.body, what).to.deep.equal({ error: 'invalid_grant', error_description: 'the resource owner credentials are invalid' });
      expect(answer.headers['www-authenticate'], what).to.equal(undefined);
      expect(answer.kdf, `${what}: scrypt derivations`).to.equal(1);
    }
  });

  it('given a user locked by failed attempts, then the lock itself is not observable either', async () => {
    for (let i = 0; i < 3; i++) await login('alice', `wrong-${i}-password`);
    const locked = await login('alice', users.alice!.password);
    const unknown = await login('nobody-here', users.alice!.password);
    expect(locked.body).to.deep.equal(unknown.body);
    expect([locked.status, locked.kdf]).to.deep.equal([unknown.status, unknown.kdf]);
  });
});
