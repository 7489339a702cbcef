import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { SignJWT, base64url, decodeJwt, decodeProtectedHeader, importPKCS8, type JWTPayload } from 'jose';
import { bootstrapAdminToken, clientToken, http, startTestServer, type TestServer } from '../support/tollgateServer.js';

/**
 * JWT attacks on the admin API, through real HTTP (GET /admin/me): every forged, foreign,
 * stale or misdirected token gets 401 with `WWW-Authenticate: Bearer … error="invalid_token"`.
 * Forgeries with our own private key prove that the issuer, audience, expiry and type
 * checks hold on their own, not only the signature.
 */
describe('admin API: JWT attacks are refused', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: string;
  let genuine: JWTPayload;
  let kid: string;
  let signWithOurKey: (payload: JWTPayload, header?: Record<string, unknown>) => Promise<string>;

  before(async () => {
    server = await startTestServer({}, { runWorker: false });
    admin = await bootstrapAdminToken(server.url);
    genuine = decodeJwt(admin);
    kid = decodeProtectedHeader(admin).kid!;
    const privateFile = readdirSync(server.config.keysDir).find((f) => f.endsWith('.private.pem'))!;
    const privateKey = await importPKCS8(readFileSync(join(server.config.keysDir, privateFile), 'utf8'), 'RS256');
    signWithOurKey = (payload, header = {}) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid, ...header }).sign(privateKey);
  });
  after(() => server?.stop());

  async function expectRefused(token: string, what: string): Promise<void> {
    const res = await http(server.url, 'GET', '/admin/me', { token });
    expect(res.status, what).to.equal(401);
    expect(res.headers['www-authenticate'], what).to.match(/^Bearer realm="tollgate"/);
    expect(res.headers['content-type'], what).to.match(/^application\/problem\+json/);
  }

  it('accepts the genuine token (the baseline the forgeries are made from)', async () => {
    expect((await http(server.url, 'GET', '/admin/me', { token: admin })).status).to.equal(200);
    expect((await http(server.url, 'GET', '/admin/me', { token: await signWithOurKey(genuine) })).status).to.equal(200);
  });

  it('refuses alg none (with and without a signature part)', async () => {
    const [, payload] = admin.split('.');
    for (const alg of ['none', 'None', 'NONE']) {
      const header = base64url.encode(JSON.stringify({ alg, typ: 'at+jwt', kid }));
      await expectRefused(`${header}.${payload}.`, `alg ${alg}`);
      await expectRefused(`${header}.${payload}`, `alg ${alg} without signature`);
    }
  });

  it('refuses HS256 made with the public key (PEM and JWK forms as the secret)', async () => {
    const jwks = (await http(server.url, 'GET', '/.well-known/jwks.json')).body as { keys: Record<string, unknown>[] };
    const pem = createPublicKey({ key: jwks.keys[0]! as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string;
    for (const secret of [pem, JSON.stringify(jwks.keys[0])]) {
      const token = await new SignJWT(genuine).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid }).sign(new TextEncoder().encode(secret));
      await expectRefused(token, 'HS256 with the public key');
    }
  });

  it('refuses a token signed by another key that claims our kid', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = await new SignJWT(genuine).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid }).sign(privateKey);
    await expectRefused(token, 'foreign key');
  });

  it('refuses our own signature on another issuer, another audience, an expired token, a wrong typ, or a missing jti', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { jti: _jti, ...withoutJti } = genuine;
    const cases: Array<[string, Promise<string>]> = [
      ['another issuer', signWithOurKey({ ...genuine, iss: 'https://evil.example' })],
      ['another audience', signWithOurKey({ ...genuine, aud: [`${server.config.issuer}/api`] })],
      ['an audience of another server', signWithOurKey({ ...genuine, aud: ['https://other.example/admin'] })],
      ['expired', signWithOurKey({ ...genuine, iat: now - 7200, exp: now - 3600 })],
      ['typ JWT instead of at+jwt', signWithOurKey(genuine, { typ: 'JWT' })],
      ['no jti', signWithOurKey(withoutJti)],
      ['another client_id', signWithOurKey({ ...genuine, client_id: 'no-such-client' })],
    ];
    for (const [what, token] of cases) await expectRefused(await token, what);
  });

  it('refuses a token of an application deleted since it was issued', async () => {
    const created = await http(server.url, 'POST', '/admin/oauth-applications', { token: admin, body: { name: 'soon deleted', grants: ['client_credentials'] } });
    const token = (await clientToken(server.url, created.body.clientId, created.body.clientSecret)).body.access_token as string;
    expect((await http(server.url, 'GET', '/admin/me', { token })).status).to.equal(200);
    expect((await http(server.url, 'DELETE', `/admin/oauth-applications/${created.body.id}`, { token: admin })).status).to.be.oneOf([200, 204]);
    await expectRefused(token, 'deleted application');
  });

  it("refuses a storefront user's token (a storefront application owned by a customer)", async () => {
    const me = await http(server.url, 'GET', '/admin/me', { token: admin });
    const customer = await http(server.url, 'POST', '/admin/users', {
      token: admin,
      body: { username: 'shopper', email: 'shopper@example.com', password: 'shopper-password-1', kind: 'customer', roles: ['user'], organizationIds: me.body.organizationIds },
    });
    expect(customer.status, JSON.stringify(customer.body)).to.equal(201);
    const app = await http(server.url, 'POST', '/admin/oauth-applications', {
      token: admin,
      body: { name: 'storefront', grants: ['client_credentials'], frontend: true, ownerUserId: customer.body.id },
    });
    expect(app.status, JSON.stringify(app.body)).to.equal(201);
    const issued = await clientToken(server.url, app.body.clientId, app.body.clientSecret);
    expect(issued.status).to.equal(200);
    await expectRefused(issued.body.access_token as string, 'storefront token');
    // …and its claims re-signed with the admin audience still name a customer: refused
    await expectRefused(await signWithOurKey({ ...decodeJwt(issued.body.access_token as string), aud: genuine.aud }), 'storefront claims with admin aud');
  });
});
