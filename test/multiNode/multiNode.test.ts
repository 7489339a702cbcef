import { expect } from 'chai';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import pg from 'pg';
import { createPostgresEventStore } from '../../src/eventStore/postgres/postgresEventStore.js';
import { rotateKeys } from '../../src/keys/keyStore.js';
import { createPostgresDatabase, postgresUnavailableReason, type PostgresDatabase } from '../support/postgresDatabase.js';
import { startRedisServer, type RedisServer } from '../support/redisServer.js';
import { startSmtpSink, type SmtpSink } from '../support/smtpSink.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { ADMIN_PASSWORD, BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET, bootstrapAdminToken, http } from '../support/tollgateServer.js';
import { CONSOLE_APPLICATION_ID } from '../../src/domain/application/consoleClient.js';
import { toApplicationStreamName } from '../../src/domain/shared/streamNames.js';
import { measureUntil, startNodes, tokenRequest, type TollgateNode } from './support/tollgateNodes.js';
import { consoleHttp } from '../console/support/consoleClient.js';

/**
 * Several Tollgate processes (src/main.ts) on one PostgreSQL database, each with its own
 * in-memory read model and state cache, one KEYS_DIR, and (when redis-server is there) one
 * Redis for notifications; one SMTP sink. Delays are printed, and asserted only against
 * generous bounds: the machine is small and shared.
 */
describe('several nodes on one PostgreSQL store', function () {
  this.timeout(90_000);
  let database: PostgresDatabase | null = null;
  let redis: RedisServer | null = null;
  let smtp: SmtpSink;
  let dir: TempDir;
  let a: TollgateNode;
  let b: TollgateNode;
  let adminA: string;
  let adminB: string;

  const sql = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: database!.url });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  const clientCredentials = (url: string, clientId: string, clientSecret: string) =>
    tokenRequest(url, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  const createApp = async (url: string, token: string, body: Record<string, unknown>) => {
    const res = await http(url, 'POST', '/admin/oauth-applications', { token, body: { grants: ['client_credentials'], ...body } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: string; clientId: string; clientSecret: string };
  };
  let counter = 0;
  const unique = (prefix: string) => `${prefix} ${process.pid} ${++counter}`;

  before(async function () {
    database = await createPostgresDatabase();
    if (database === null) {
      console.log(`      ${postgresUnavailableReason}`);
      this.skip();
    }
    redis = await startRedisServer();
    smtp = await startSmtpSink();
    dir = await createTempDir('tollgate-nodes-');
    // Given two nodes started at the same moment on an empty database and an empty KEYS_DIR
    // (nodes behind one URL share ISSUER: tokens name it, and every node checks it)
    [a, b] = await startNodes(['a', 'b'], dir, {
      ISSUER: 'http://tollgate.test',
      EVENTSTORE_URL: database!.url,
      SMTP_URL: smtp.url,
      ...(redis ? { REDIS_URL: redis.url } : {}),
    });
    [adminA, adminB] = await Promise.all([bootstrapAdminToken(a.url), bootstrapAdminToken(b.url)]);
  });
  after(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await smtp?.close();
    await redis?.dispose();
    await database?.drop();
    await dir?.remove();
  });

  it('given two nodes started together on an empty store, then the first-start bootstrap ran once', async () => {
    const banners = [a, b].filter((node) => node.process.stdout().includes('Tollgate first start'));
    const created = await sql<{ type: string; n: string }>(
      `SELECT type, count(*) AS n FROM events WHERE type IN ('OrganizationCreated', 'UserRegistered', 'ApplicationCreated', 'BootstrapStarted', 'BootstrapCompleted') AND metadata->>'actor' = 'bootstrap' OR stream = 'tollgateBootstrap-1' GROUP BY type ORDER BY type`,
    );

    expect(banners, 'one banner').to.have.length(1);
    // Two applications, each created once: the bootstrap client and the console's first-party
    // client (src/bootstrap/consoleClient.ts, issue 13: its fixed stream lets one node win).
    expect(created.map((row) => `${row.type}:${row.n}`)).to.deep.equal([
      'ApplicationCreated:2', 'BootstrapCompleted:1', 'BootstrapStarted:1', 'OrganizationCreated:1', 'UserRegistered:1',
    ]);
    const consoleClient = await sql<{ n: string }>(`SELECT count(*) AS n FROM events WHERE stream = $1`, [toApplicationStreamName(CONSOLE_APPLICATION_ID)]);
    expect(consoleClient.map((row) => Number(row.n))).to.deep.equal([1]);
  });

  it('given one KEYS_DIR, then a token from A is accepted by B, and a key rotation is picked up by both', async () => {
    // Given the administrator's token from A, used on B
    expect((await http(b.url, 'GET', '/admin/me', { token: adminA })).status).to.equal(200);
    const before = decodeProtectedHeader(adminA).kid;

    // When the keys are rotated on the shared directory (what `npm run keys:rotate` does)
    const { kid } = await rotateKeys({ dir: dir.file('keys'), accessTokenTtlSeconds: 3600 });

    // Then both nodes sign with the new key (each checks KEYS_DIR every 10 s), and accept each other's tokens and the old one
    const newKid = async (url: string) => {
      const res = await clientCredentials(url, BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET);
      return res.status === 200 ? { kid: decodeProtectedHeader(res.body.access_token).kid, token: res.body.access_token as string } : undefined;
    };
    const [onA, onB] = await Promise.all(
      [a.url, b.url].map((url) => measureUntil(() => newKid(url), (r) => r?.kid === kid, 30_000)),
    );
    console.log(`      (rotation picked up: A after ${onA!.ms.toFixed(0)} ms, B after ${onB!.ms.toFixed(0)} ms)`);
    expect([onA!.result?.kid, onB!.result?.kid]).to.deep.equal([kid, kid]);
    expect(kid).not.to.equal(before);
    expect((await http(a.url, 'GET', '/admin/me', { token: onB!.result!.token })).status).to.equal(200);
    expect((await http(b.url, 'GET', '/admin/me', { token: onA!.result!.token })).status).to.equal(200);
    expect((await http(b.url, 'GET', '/admin/me', { token: adminA })).status, 'the retiring key still verifies').to.equal(200);
  });

  it('given an application created on A, then B serves tokens for it (delay printed)', async () => {
    const app = await createApp(a.url, adminA, { name: unique('created on A') });

    const { result, ms } = await measureUntil(() => clientCredentials(b.url, app.clientId, app.clientSecret), (r) => r.status === 200, 10_000);

    console.log(`      (created on A → first token on B after ${ms.toFixed(1)} ms)`);
    expect(result.status, JSON.stringify(result.body)).to.equal(200);
    expect(decodeJwt(result.body.access_token).client_id).to.equal(app.clientId);
  });

  it('given an application deactivated on A, then B refuses its tokens (figure printed; the goal is 1 s)', async () => {
    const app = await createApp(a.url, adminA, { name: unique('deactivated on A') });
    await measureUntil(() => clientCredentials(b.url, app.clientId, app.clientSecret), (r) => r.status === 200, 10_000);

    const off = await http(a.url, 'POST', `/admin/oauth-applications/${app.id}/deactivate`, { token: adminA });
    expect(off.status).to.equal(200);
    const { result, ms } = await measureUntil(() => clientCredentials(b.url, app.clientId, app.clientSecret), (r) => r.status !== 200, 10_000);

    console.log(`      (deactivated on A → refused on B after ${ms.toFixed(1)} ms)`);
    expect(result.status).to.equal(401);
    expect(result.body.error).to.equal('invalid_client');
  });

  it('given a refresh token presented to A and B at once, then exactly one wins', async () => {
    // Given a user and a password-grant application, known to both nodes
    const username = `racer-${process.pid}`;
    const me = await http(a.url, 'GET', '/admin/me', { token: adminA });
    const user = await http(a.url, 'POST', '/admin/users', {
      token: adminA,
      body: { username, email: `${username}@example.test`, password: 'racer-password-1', kind: 'backOffice', roles: ['user'], organizationIds: [me.body.organizationIds[0]] },
    });
    expect(user.status, JSON.stringify(user.body)).to.equal(201);
    const app = await createApp(a.url, adminA, { name: unique('refresh race'), grants: ['password'] });
    const credentials = { client_id: app.clientId, client_secret: app.clientSecret };
    const login = (url: string) => tokenRequest(url, { grant_type: 'password', username, password: 'racer-password-1', ...credentials });
    await measureUntil(() => login(b.url), (r) => r.status === 200, 10_000);

    for (let round = 0; round < 3; round += 1) {
      const first = await login(round % 2 === 0 ? a.url : b.url);
      expect(first.status).to.equal(200);
      // When both nodes get the same refresh token at the same moment
      const answers = await Promise.all(
        [a.url, b.url].map((url) => tokenRequest(url, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token, ...credentials })),
      );
      // Then one rotates it and the other refuses it
      expect(answers.map((r) => r.status).sort(), JSON.stringify(answers.map((r) => r.body))).to.deep.equal([200, 400]);
      expect(answers.find((r) => r.status === 400)!.body.error).to.equal('invalid_grant');
    }
  });

  it('given the same application name created on A and B at once, then the name is reserved once', async () => {
    const name = unique('same name');

    const answers = await Promise.all(
      [[a.url, adminA], [b.url, adminB]].map(([url, token]) =>
        http(url!, 'POST', '/admin/oauth-applications', { token, body: { name, grants: ['client_credentials'] } }),
      ),
    );

    expect(answers.map((r) => r.status).sort(), JSON.stringify(answers.map((r) => r.body))).to.deep.equal([201, 409]);
  });

  it('given REDIS_URL, then an application created on one node sends exactly one email', async function () {
    if (!redis) this.skip();
    const name = unique('one email');

    await createApp(b.url, adminB, { name });
    await measureUntil(async () => smtp.messages.filter((m) => m.text.includes(name)).length, (n) => n >= 1, 20_000);
    // Both nodes' notification reactors see the event; give the second one time to act.
    const marker = unique('later email');
    await createApp(a.url, adminA, { name: marker });
    await measureUntil(async () => smtp.messages.filter((m) => m.text.includes(marker)).length, (n) => n >= 1, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    expect(smtp.messages.filter((m) => m.text.includes(name))).to.have.length(1);
    expect(smtp.messages.filter((m) => m.text.includes(marker))).to.have.length(1);
  });

  it('given a console session started on A, then B serves it: a secret shown once on either node, and a sign-out on B ends it on A', async () => {
    const onA = consoleHttp(a.url);
    const signIn = await onA.signIn('admin', ADMIN_PASSWORD);
    expect(signIn.status, signIn.html).to.equal(303);
    const onB = consoleHttp(b.url);
    onB.sessionId = onA.sessionId;

    const me = await onB.get('/console/me');
    expect(me.status).to.equal(200);
    expect(me.html).to.contain('My User');
    const name = unique('Across nodes');
    const created = await onB.post('/console/me/oauth-applications', { name, active: 'on', allApis: 'on' });
    expect(created.status, created.html).to.equal(303);
    const shown = await onA.get(created.location!);
    expect(shown.html, 'the secret, on the other node').to.match(/displayed only once/);
    expect(shown.html).to.contain(name);
    expect((await onB.get(created.location!)).html, 'and only once').not.to.match(/displayed only once/);

    // The session's records hold nothing in clear (sessions are sealed beside the events).
    const rows = await sql<{ value: string }>('SELECT value FROM console_sessions');
    expect(rows.length).to.be.greaterThan(0);
    expect(JSON.stringify(rows)).not.to.contain(onA.sessionId!);

    const signOut = await onB.post('/console/sign-out', {});
    expect(signOut.location).to.equal('/console/?signedOut=1');
    const after = await onA.get('/console/me');
    expect(after.status).to.equal(303);
    expect(after.location).to.match(/^\/console\/(\?ended=1)?$/);
  });

  it('given A is SIGKILLed while it acknowledges writes, then B reads back every acknowledged one', async () => {
    // Given applications and tokens acknowledged by A under concurrent load
    const apps: string[] = [];
    const jtis: string[] = [];
    let stop = false;
    const writers = [0, 1, 2, 3].map(async (w) => {
      for (let i = 0; !stop; i += 1) {
        if (w % 2 === 0) {
          const res = await http(a.url, 'POST', '/admin/oauth-applications', { token: adminA, body: { name: `killed ${w} ${i}`, grants: ['client_credentials'] } }).catch(() => null);
          if (res?.status === 201) apps.push(res.body.id);
        } else {
          const res = await clientCredentials(a.url, BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET).catch(() => null);
          if (res?.status === 200) jtis.push(decodeJwt(res.body.access_token).jti!);
        }
      }
    });
    await measureUntil(async () => apps.length, (n) => n >= 15, 30_000);

    // When A is killed in the middle of it
    await a.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);

    // Then every acknowledged write is in the store, and B serves every acknowledged application
    // (read through the store: TokenIssued is stored compact, the upcaster gives the jti back)
    const reader = await createPostgresEventStore({ connectionString: database!.url, poolSize: 1 });
    const stored = new Set<string>();
    try {
      for (const event of await reader.readAll({ filter: { eventTypes: ['TokenIssued'] }, maxCount: 1_000_000 })) {
        stored.add((event.data as { jti: string }).jti);
      }
    } finally {
      await reader.close();
    }
    expect(jtis.filter((jti) => !stored.has(jti))).to.deep.equal([]);
    for (const id of apps) {
      const { result } = await measureUntil(() => http(b.url, 'GET', `/admin/oauth-applications/${id}`, { token: adminB }), (r) => r.status === 200, 10_000);
      expect(result.status, id).to.equal(200);
    }
    console.log(`      (${apps.length} applications and ${jtis.length} tokens acknowledged by A before SIGKILL; all read back)`);
  });

  it('keeps ADMIN_PASSWORD out of every node’s output', () => {
    for (const node of [a, b]) expect(node.process.stdout() + node.process.stderr()).not.to.contain(ADMIN_PASSWORD);
  });
});
