import { expect } from 'chai';
import { startRedisServer, type RedisServer } from '../support/redisServer.js';
import { startSmtpSink, type SmtpSink } from '../support/smtpSink.js';
import { BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET, bootstrapAdminToken, clientToken, http, startTestServer, type TestServer } from '../support/tollgateServer.js';

/**
 * Redis (BullMQ queue, checkpoints, rate limits) stopped and restarted while applications are
 * created, and SMTP refusing mail for a while: the API and the token endpoint keep serving,
 * notifications resume after Redis returns and each owner email arrives exactly once;
 * a permanent SMTP refusal is visible in /admin/status.
 */
const until = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('fault: Redis restarted and SMTP unavailable while applications are created', function () {
  this.timeout(180_000);
  let redis: RedisServer | null;
  let smtp: SmtpSink;
  let server: TestServer;

  before(async function () {
    redis = await startRedisServer({ appendOnly: true });
    if (!redis || !redis.canRestart) this.skip();
    smtp = await startSmtpSink();
    server = await startTestServer({ REDIS_URL: redis.url, SMTP_URL: smtp.url, RATE_LIMIT_PER_CLIENT: '100000' });
  });
  after(async () => {
    await server?.stop();
    await smtp?.close();
    await redis?.dispose();
  });

  it('keeps serving through the outages, then delivers every email exactly once', async () => {
    const admin = await bootstrapAdminToken(server.url);
    const create = (name: string) => http(server.url, 'POST', '/admin/oauth-applications', { token: admin, body: { name, grants: ['client_credentials'] } });
    const names: string[] = [];
    const createMany = async (prefix: string, count: number) => {
      for (let i = 0; i < count; i++) {
        const res = await create(`${prefix} ${i}`);
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        names.push(`${prefix} ${i}`);
      }
    };

    await createMany('before', 3);
    await redis!.stop();
    await createMany('redis down', 4);
    const tokens = await Promise.all([1, 2, 3].map(() => clientToken(server.url, BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET)));
    expect(tokens.map((t) => t.status)).to.deep.equal([200, 200, 200]);
    expect((await http(server.url, 'GET', '/admin/oauth-applications', { token: admin })).status).to.equal(200);
    await redis!.start();

    smtp.rejectNext(3); // 451: try again later
    await createMany('smtp flaky', 3);

    // bootstrap application's email + every created application's
    const expected = names.length + 1;
    await until(`${expected} emails`, () => smtp.messages.length >= expected);
    await new Promise((r) => setTimeout(r, 2000)); // room for a duplicate to show up
    const bodies = smtp.messages.map((m) => m.text);
    for (const name of names) expect(bodies.filter((b) => b.includes(name)), name).to.have.length(1);
    expect(smtp.messages).to.have.length(expected);
    expect(smtp.rejected).to.equal(3);

    smtp.rejectNext(1, 550); // refused for good
    await createMany('refused', 1);
    await until('a failed job in /admin/status', async () => (await http(server.url, 'GET', '/admin/status')).body.notifications.failed === 1);
    const status = (await http(server.url, 'GET', '/admin/status')).body;
    expect(status.warnings.join(' ')).to.match(/1 notification\(s\) failed permanently/);
  });
});
