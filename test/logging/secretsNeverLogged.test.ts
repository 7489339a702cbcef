import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging/logger.js';
import { startTollgate, type Tollgate } from '../../src/app/tollgate.js';
import { loadConfig } from '../../src/config/config.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { freePort, http } from '../support/tollgateServer.js';
import { obtainCode, redeem } from '../authorize/support/codeFlow.js';
import { hashAuthorizationCode } from '../../src/tokens/authorize/authorizationCodes.js';

/** Collects every line the logger writes. */
function captureLog(): { stream: Writable; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}


describe('secrets never reach the log', function () {
  this.timeout(60_000);

  it('given a logger, when objects with secrets are logged, then every secret field is redacted', () => {
    const log = captureLog();
    const logger = createLogger({ level: 'trace' }, log.stream);
    logger.info({ password: 'p4ss', clientSecret: 's3cret', body: { client_secret: 'cs', refresh_token: 'rt', passwordHash: 'scrypt$x' }, headers: { authorization: 'Bearer abc' } }, 'x');
    const text = log.text();
    for (const secret of ['p4ss', 's3cret', '"cs"', '"rt"', 'scrypt$x', 'Bearer abc']) expect(text).not.to.contain(secret);
    expect(text).to.contain('[redacted]');
  });

  describe('through the running server at trace level', () => {
    let dir: TempDir;
    let tollgate: Tollgate;
    const log = captureLog();
    const secrets: string[] = [];

    before(async () => {
      dir = await createTempDir('tollgate-log-');
      const config = loadConfig({
        PORT: String(await freePort()),
        DATA_DIR: dir.file('var'),
        KEYS_DIR: dir.file('keys'),
        ADMIN_PASSWORD: 'admin-password-never-logged',
        BOOTSTRAP_CLIENT_ID: 'log-test-client-0001',
        BOOTSTRAP_CLIENT_SECRET: 'bootstrap-secret-never-logged-0123456789',
        LOG_LEVEL: 'trace',
      });
      tollgate = await startTollgate(config, createLogger({ level: 'trace' }, log.stream), { printBootstrap: false });
      secrets.push('admin-password-never-logged', 'bootstrap-secret-never-logged-0123456789');
    });
    after(async () => {
      await tollgate?.stop();
      await dir?.remove();
    });

    it('when applications are created, rotated and used for tokens (good and bad), then no secret, password, token or hash is logged', async () => {
      const base = tollgate.url;
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const tokenRes = await http(base, 'POST', '/oauth2-token', {
        rawBody: 'grant_type=client_credentials&client_id=log-test-client-0001&client_secret=bootstrap-secret-never-logged-0123456789',
        headers: form,
      });
      const admin = tokenRes.body.access_token as string;
      secrets.push(admin);
      const created = await http(base, 'POST', '/admin/oauth-applications', {
        token: admin,
        body: { name: 'Logged app', grants: ['password'] },
      });
      secrets.push(created.body.clientSecret);
      const rotated = await http(base, 'POST', `/admin/oauth-applications/${created.body.id}/rotate-secret`, { token: admin });
      secrets.push(rotated.body.clientSecret);
      const password = await http(base, 'POST', '/oauth2-token', {
        rawBody: `grant_type=password&username=admin&password=admin-password-never-logged&client_id=${created.body.clientId}&client_secret=${rotated.body.clientSecret}`,
        headers: form,
      });
      expect(password.status).to.equal(200);
      secrets.push(password.body.access_token, password.body.refresh_token);
      await http(base, 'POST', '/oauth2-token', {
        rawBody: `grant_type=refresh_token&refresh_token=${password.body.refresh_token}&client_id=${created.body.clientId}&client_secret=${rotated.body.clientSecret}`,
        headers: form,
      });
      // Failures are the likeliest to be logged with their input.
      await http(base, 'POST', '/oauth2-token', { rawBody: 'grant_type=password&username=admin&password=wrong-password-never-logged&client_id=x&client_secret=also-never-logged', headers: form });
      secrets.push('wrong-password-never-logged', 'also-never-logged');
      await http(base, 'POST', '/admin/users', { token: admin, body: { username: 'bob', email: 'bad', password: 'bob-password-never-logged', kind: 'backOffice', roles: ['user'], organizationIds: ['nope'] } });
      secrets.push('bob-password-never-logged');

      const text = log.text();
      expect(text.length).to.be.greaterThan(0);
      for (const secret of secrets) expect(text, 'a secret was logged').not.to.contain(secret);
      expect(text).not.to.match(/sha256\$|scrypt\$/);
    });

    it('when the authorization code flow runs (sign-in, consent, redeem, a wrong verifier, a replay), then no code, verifier, code hash, session or token is logged', async () => {
      const base = tollgate.url;
      const tokenRes = await http(base, 'POST', '/oauth2-token', {
        rawBody: 'grant_type=client_credentials&client_id=log-test-client-0001&client_secret=bootstrap-secret-never-logged-0123456789',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      const created = await http(base, 'POST', '/admin/oauth-applications', {
        token: tokenRes.body.access_token,
        body: { name: 'Logged code app', grants: ['authorization_code'], redirectUris: ['https://logged.example/cb'] },
      });
      const app = { clientId: created.body.clientId, clientSecret: created.body.clientSecret, redirectUri: 'https://logged.example/cb' };
      const { code, verifier, agent } = await obtainCode(base, app, { username: 'admin', password: 'admin-password-never-logged' });
      const fields = { code, code_verifier: verifier, redirect_uri: app.redirectUri };
      await redeem(base, app, { ...fields, code_verifier: `${verifier.slice(0, -1)}x` });
      const tokens = await redeem(base, app, fields);
      expect(tokens.status).to.equal(200);
      await redeem(base, app, fields);
      const secrets = [code, verifier, hashAuthorizationCode(code), tokens.body.access_token, tokens.body.refresh_token, ...agent.cookies.values()];
      const text = log.text();
      for (const secret of secrets) expect(text, 'a secret was logged').not.to.contain(secret);
    });
  });
});
