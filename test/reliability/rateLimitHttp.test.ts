import { expect } from 'chai';
import {
  BOOTSTRAP_CLIENT_ID,
  BOOTSTRAP_CLIENT_SECRET,
  bootstrapAdminToken,
  clientToken,
  http,
  startTestServer,
  type TestServer,
} from '../support/tollgateServer.js';
import { startRedisServer, type RedisServer } from '../support/redisServer.js';

const form = (params: Record<string, string>) => ({
  rawBody: new URLSearchParams(params).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});
const bootstrapToken = (url: string) => clientToken(url, BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET);

async function createClient(url: string, admin: string, name: string): Promise<{ clientId: string; clientSecret: string }> {
  const res = await http(url, 'POST', '/admin/oauth-applications', { token: admin, body: { name, grants: ['client_credentials'] } });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return { clientId: res.body.clientId as string, clientSecret: res.body.clientSecret as string };
}

function expectRateLimited(res: { status: number; headers: Record<string, unknown>; body: any }): void {
  expect(res.status).to.equal(429);
  expect(Number(res.headers['retry-after'])).to.be.within(1, 120);
  expect(res.body.error).to.equal('temporarily_unavailable');
  expect(res.body.error_description).to.match(/^rate limit exceeded; retry after \d+ seconds?$/);
  expect(res.headers['cache-control']).to.equal('no-store');
  expect(res.headers['x-content-type-options']).to.equal('nosniff');
}

describe('rate limiting of the OAuth endpoints (in memory)', function () {
  this.timeout(60_000);

  describe('per client', () => {
    let server: TestServer;
    let admin: string;
    let other: { clientId: string; clientSecret: string };
    before(async () => {
      server = await startTestServer({ RATE_LIMIT_PER_CLIENT: '4', RATE_LIMIT_WINDOW: '60' }, { runWorker: false });
      admin = await bootstrapAdminToken(server.url); // 1 of the bootstrap client's 4
      other = await createClient(server.url, admin, 'rate limited neighbour');
    });
    after(() => server.stop());

    it('given a client over its limit, then 429 with Retry-After and an RFC 6749 body; other clients are unaffected', async () => {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await bootstrapToken(server.url));
      expect(answers.map((a) => a.status)).to.deep.equal([200, 200, 200, 429]);
      expectRateLimited(answers[3]!);
      expect((await clientToken(server.url, other.clientId, other.clientSecret)).status).to.equal(200);
    });

    it('counts introspection and revocation against the same client', async () => {
      const auth = { client_id: other.clientId, client_secret: other.clientSecret };
      const a = await http(server.url, 'POST', '/oauth2-token/introspect', form({ ...auth, token: 'x' }));
      const b = await http(server.url, 'POST', '/oauth2-token/revoke', form({ ...auth, token: 'x' }));
      const c = await http(server.url, 'POST', '/oauth2-token/introspect', form({ ...auth, token: 'x' }));
      const d = await http(server.url, 'POST', '/oauth2-token/revoke', form({ ...auth, token: 'x' }));
      expect([a.status, b.status, c.status]).to.deep.equal([200, 200, 200]);
      expectRateLimited(d);
    });

    it('given an attacker spamming a client_id with wrong secrets, then the real client keeps its quota', async () => {
      // the admin token minted in before() is still valid: limits refuse new tokens, not issued ones
      const victim = await createClient(server.url, admin, 'victim');
      for (let i = 0; i < 20; i++) {
        const res = await clientToken(server.url, victim.clientId, 'wrong-secret-wrong-secret-wrong-secret');
        expect(res.status).to.equal(401);
      }
      expect((await clientToken(server.url, victim.clientId, victim.clientSecret)).status).to.equal(200);
    });
  });

  describe('per IP', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ RATE_LIMIT_PER_IP: '3', RATE_LIMIT_WINDOW: '60', CORS_ALLOWED_ORIGINS: 'https://spa.example' }, { runWorker: false });
    });
    after(() => server.stop());

    it('given an IP over its limit, then 429 before the body is even read; health and metadata still answer', async () => {
      const statuses = [];
      statuses.push((await bootstrapToken(server.url)).status);
      statuses.push((await http(server.url, 'POST', '/oauth2-token', form({ grant_type: 'client_credentials' }))).status);
      statuses.push((await http(server.url, 'POST', '/oauth2-token/revoke', form({ token: 'x' }))).status);
      const refused = await http(server.url, 'POST', '/oauth2-token', { rawBody: '{not json', headers: { 'content-type': 'application/json' } });
      expect(statuses).to.deep.equal([200, 401, 401]);
      expectRateLimited(refused);
      expect((await http(server.url, 'GET', '/healthz')).status).to.equal(200);
      expect((await http(server.url, 'GET', '/.well-known/oauth-authorization-server')).status).to.equal(200);
    });

    it('given a browser application of an allowed origin over the limit, then its 429 carries the CORS headers, so the page can read it', async () => {
      const fromSpa = { rawBody: 'grant_type=client_credentials', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://spa.example' } };
      const refused = await http(server.url, 'POST', '/oauth2-token', fromSpa);
      expectRateLimited(refused);
      expect(refused.headers['access-control-allow-origin']).to.equal('https://spa.example');
      expect(refused.headers['access-control-expose-headers']).to.equal('WWW-Authenticate, Retry-After');
    });
  });

  it('with the defaults (both limits off), a burst of 200 token requests from one IP and client all succeed', async () => {
    const server = await startTestServer({}, { runWorker: false });
    try {
      const answers = await Promise.all(Array.from({ length: 200 }, () => bootstrapToken(server.url)));
      expect(answers.filter((a) => a.status !== 200)).to.deep.equal([]);
    } finally {
      await server.stop();
    }
  });
});

describe('rate limiting of the OAuth endpoints (Redis: one limit across nodes)', function () {
  this.timeout(60_000);
  let redis: RedisServer | null;
  let nodes: TestServer[] = [];

  before(async function () {
    redis = await startRedisServer();
    if (!redis) this.skip();
    if (!redis.canRestart) this.skip(); // the outage test needs our own redis-server
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await redis?.dispose();
  });

  it('given two nodes on one Redis, then the per-client limit holds across them; with Redis down both keep serving', async function () {
    if (!redis) this.skip();
    const env = { REDIS_URL: redis!.url, RATE_LIMIT_PER_CLIENT: '3', RATE_LIMIT_WINDOW: '60' };
    // Two nodes with their own embedded stores: the same bootstrap client exists on both.
    nodes = [await startTestServer(env, { runWorker: false }), await startTestServer(env, { runWorker: false })];
    const [a, b] = nodes as [TestServer, TestServer];
    const statuses = [
      (await bootstrapToken(a.url)).status,
      (await bootstrapToken(b.url)).status,
      (await bootstrapToken(a.url)).status,
    ];
    const refusedOnB = await bootstrapToken(b.url);
    const refusedOnA = await bootstrapToken(a.url);
    expect(statuses).to.deep.equal([200, 200, 200]);
    expectRateLimited(refusedOnB);
    expectRateLimited(refusedOnA);

    await redis!.stop();
    const duringOutage = await Promise.all([bootstrapToken(a.url), bootstrapToken(b.url)]);
    expect(duringOutage.map((r) => r.status)).to.deep.equal([200, 200]); // fails open
    await redis!.start();
  });
});
