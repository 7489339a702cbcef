import { expect } from 'chai';
import { Redis } from 'ioredis';
import { redisUnavailableReason, startRedisServer, type RedisServer } from '../support/redisServer.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { ADMIN_PASSWORD, bootstrapAdminToken, http, startTestServer, type TestServer } from '../support/tollgateServer.js';
import { consoleHttp } from './support/consoleClient.js';

/**
 * With REDIS_URL (and no PostgreSQL store), console sessions live in Redis: a server restarted
 * on the same DATA_DIR, KEYS_DIR and ISSUER (as another node would be) takes the session on; Redis
 * holds it sealed, under a hash of its id; while Redis is down the console answers 503.
 */
describe('console sessions in Redis (REDIS_URL)', function () {
  this.timeout(60_000);
  let redis: RedisServer | null = null;
  let dir: TempDir;
  let server: TestServer | undefined;
  before(async function () {
    redis = await startRedisServer({ appendOnly: true }); // sessions outlive a Redis restart only if Redis keeps them
    if (!redis) {
      console.log(`      ${redisUnavailableReason}`);
      return this.skip();
    }
    dir = await createTempDir('tollgate-redis-sessions-');
  });
  after(async () => {
    await server?.stop();
    await redis?.dispose();
    await dir?.remove();
  });
  const start = () => startTestServer({ REDIS_URL: redis!.url, ISSUER: 'http://tollgate.test' }, { dir });

  it('given a console session, when the server is restarted (another node), then the session goes on, and Redis holds it sealed', async () => {
    server = await start();
    const client = consoleHttp(server.url);
    expect((await client.signIn('admin', ADMIN_PASSWORD)).status).to.equal(303);
    await server.stop();

    server = await start();
    const again = consoleHttp(server.url);
    again.sessionId = client.sessionId;
    const me = await again.get('/console/me');
    expect(me.status, `${me.location}`).to.equal(200);
    expect(me.html).to.contain('My User');

    const raw = new Redis(redis!.url);
    try {
      const keys = await raw.keys('tollgate:session:console:*');
      expect(keys.length).to.be.greaterThan(0);
      const values = await Promise.all(keys.map((k) => raw.get(k)));
      const text = JSON.stringify({ keys, values });
      expect(text).not.to.contain(client.sessionId!);
      expect(text).not.to.match(/eyJ[A-Za-z0-9_-]{10,}\./); // no JWT in clear
      expect(await raw.pttl(keys[0]!), 'it expires by itself').to.be.greaterThan(0);
    } finally {
      raw.disconnect();
    }
  });

  it('given Redis stopped, when a console page is opened, then a 503 page saying nothing was changed; after Redis is back, the session goes on', async function () {
    if (!redis!.canRestart) return this.skip();
    const client = consoleHttp(server!.url);
    expect((await client.signIn('admin', ADMIN_PASSWORD)).status).to.equal(303);
    await redis!.stop();
    try {
      const started = Date.now();
      const down = await client.get('/console/me');
      expect(down.status).to.equal(503);
      expect(down.html).to.contain('Sessions are unavailable right now; nothing was changed.');
      expect(down.html).not.to.match(/ECONNREFUSED|at \w+ \(|6379/);
      // The rest of the server answers too, instead of waiting for Redis (BullMQ would wait).
      const t1 = Date.now();
      const status = await http(server!.url, 'GET', '/admin/status');
      const t2 = Date.now();
      expect(status.status).to.equal(200);
      expect(status.body.warnings).to.include('notification queue unreachable');
      const token = await bootstrapAdminToken(server!.url);
      const t3 = Date.now();
      const jobs = await http(server!.url, 'GET', '/admin/notification-jobs', { token });
      expect(jobs.status).to.equal(503);
      expect(jobs.body.detail).to.equal('The notification queue is unreachable right now; nothing was changed. Try again later.');
      console.log(`      (with Redis down: console page ${t1 - started} ms, /admin/status ${t2 - t1} ms, a token ${t3 - t2} ms, failed jobs ${Date.now() - t3} ms)`);
    } finally {
      await redis!.start();
    }
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await client.get('/console/me')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).to.equal(200);
  });
});
