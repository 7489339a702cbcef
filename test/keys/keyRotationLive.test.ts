import { expect } from 'chai';
import { createKeys, rotateKeys } from '../../src/keys/keyStore.js';
import { bootstrapAdminToken, http, startTestServer, type TestServer } from '../support/tollgateServer.js';
import { waitUntil } from '../workers/waitUntil.js';

const kidOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;

describe('key rotation on a running server', function () {
  this.timeout(30_000);
  let server: TestServer;
  before(async () => (server = await startTestServer({}, { keysReloadIntervalMs: 50 })));
  after(() => server?.stop());

  it('given a token signed with the old key, when keys:rotate runs, then new tokens use the new key, both keys are published and the old token still works', async () => {
    const oldToken = await bootstrapAdminToken(server.url);
    const oldKid = kidOf(oldToken);

    const rotation = await rotateKeys({ dir: server.config.keysDir, alg: 'RS256', accessTokenTtlSeconds: 3600 });
    expect(rotation.previousKid).to.equal(oldKid);

    const jwks = await waitUntil(async () => {
      const res = await http(server.url, 'GET', '/.well-known/jwks.json');
      return res.body.keys.length === 2 ? res.body : undefined;
    }, 'both keys in the JWKS');
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).to.have.members([oldKid, rotation.kid]);

    const newToken = await bootstrapAdminToken(server.url);
    expect(kidOf(newToken)).to.equal(rotation.kid);
    for (const token of [oldToken, newToken]) {
      const me = await http(server.url, 'GET', '/admin/me', { token });
      expect(me.status).to.equal(200);
    }
  });
});

describe('keys generated while a production server runs', function () {
  this.timeout(30_000);
  let server: TestServer;
  before(async () => (server = await startTestServer({ NODE_ENV: 'production' }, { keysReloadIntervalMs: 50 })));
  after(() => server?.stop());

  it('given no keys, when keys:generate runs, then OAuth becomes available without a restart', async () => {
    const before = await http(server.url, 'GET', '/admin/status');
    expect(before.body.oauth.available).to.equal(false);

    await createKeys(server.config.keysDir, 'RS256');

    await waitUntil(async () => (await http(server.url, 'GET', '/admin/status')).body.oauth.available === true, 'keys loaded');
    const status = await http(server.url, 'GET', '/admin/status');
    expect(status.body.warnings).to.deep.equal([]);
    expect(kidOf(await bootstrapAdminToken(server.url))).to.be.a('string');
  });
});
