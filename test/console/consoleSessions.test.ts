import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createAuthorizeSessionStore } from '../../src/console/session/authorizeSessionStore.js';
import { createPostgresSessionRecords } from '../../src/console/session/postgresSessionRecords.js';
import { createSealedSessions, recordKeyOf, type SealingKey } from '../../src/console/session/sealedSessions.js';
import { createMemorySessionRecords, type SessionRecords } from '../../src/console/session/sessionRecords.js';
import { createSessionStore } from '../../src/console/session/sessionStore.js';
import { createPostgresEventStore } from '../../src/eventStore/postgres/postgresEventStore.js';
import { HttpProblem } from '../../src/http/problem.js';
import { createPostgresDatabase, postgresUnavailableReason } from '../support/postgresDatabase.js';

const LIMITS = { idleSeconds: 60, maxAgeSeconds: 600 };
/** Times of the tests, from now: the records drop what is past its time by the real clock. */
const T0 = Date.now();
/** One key, as a ring with nothing retiring would give. */
const keyOf = (kid: string): SealingKey => {
  const key = randomBytes(32);
  return { current: () => ({ kid, key }), forKid: (k) => (k === kid ? key : undefined), kids: () => [kid] };
};
const TOKENS = { userId: 'user-id-in-clear-7f3a', accessToken: 'eyJhbGciOiJSUzI1NiJ9.access-token-body.signature', accessTokenExpiresAt: 1e13, refreshToken: 'refresh-token-in-clear' };

/** Two nodes' session stores on one set of records, with one key. */
const twoNodes = () => {
  const records = createMemorySessionRecords();
  const key = keyOf('k1');
  return { nodeA: createSessionStore(LIMITS, createSealedSessions(records, key)), nodeB: createSessionStore(LIMITS, createSealedSessions(records, key)) };
};

describe('console sessions, sealed in their records', () => {
  it('given a session, when another store on the same records (another node) reads it, then it is the same session, with what the last request saved', async () => {
    const { nodeA, nodeB } = twoNodes();
    const created = await nodeA.create(TOKENS, T0 + 1_000);

    const { session } = await nodeB.get(created.id, T0 + 2_000);
    session!.flashes.push({ kind: 'success', text: 'Saved successfully' });
    session!.secret = { applicationId: 'a-1', clientId: 'c-1', clientSecret: 'shown-once' };
    await nodeB.save(session!);

    const again = (await nodeA.get(created.id, T0 + 3_000)).session!;
    expect(again).to.deep.include({ id: created.id, userId: 'user-id-in-clear-7f3a', csrfToken: created.csrfToken, lastSeenAt: T0 + 3_000, refreshToken: TOKENS.refreshToken });
    expect(again.flashes).to.deep.equal([{ kind: 'success', text: 'Saved successfully' }]);
    expect(again.secret).to.deep.equal({ applicationId: 'a-1', clientId: 'c-1', clientSecret: 'shown-once' });
  });

  it('given a session deleted on one node (sign-out), when a request still running on another saves it, then it stays ended', async () => {
    const { nodeA, nodeB } = twoNodes();
    const created = await nodeA.create(TOKENS, T0 + 1_000);
    const inFlight = (await nodeB.get(created.id, T0 + 2_000)).session!;
    const signingOut = (await nodeA.get(created.id, T0 + 2_000)).session!;

    await nodeA.delete(signingOut);
    inFlight.flashes.push({ kind: 'success', text: 'Saved successfully' });
    await nodeB.save(inFlight);
    await nodeA.save(signingOut);
    expect(await nodeB.saveTokens(inFlight), 'nor do its tokens come back').to.equal(false);

    expect((await nodeB.get(created.id, T0 + 3_000)).session).to.equal(undefined);
    expect((await nodeA.get(created.id, T0 + 3_000)).session).to.equal(undefined);
  });

  it('given a request that read the session before another refreshed its tokens, when it finishes last, then the refreshed tokens stay, and a later request takes them', async () => {
    const { nodeA, nodeB } = twoNodes();
    const created = await nodeA.create(TOKENS, T0 + 1_000);
    const slow = (await nodeA.get(created.id, T0 + 2_000)).session!;
    const refreshing = (await nodeB.get(created.id, T0 + 2_000)).session!;
    Object.assign(refreshing, { accessToken: 'new-access', accessTokenExpiresAt: TOKENS.accessTokenExpiresAt + 60_000, refreshToken: 'new-refresh' });
    expect(await nodeB.saveTokens(refreshing)).to.equal(true);

    await nodeA.save(slow); // still holding the old tokens

    const next = (await nodeA.get(created.id, T0 + 3_000)).session!;
    expect(next).to.include({ accessToken: 'new-access', refreshToken: 'new-refresh' });
    expect(await nodeA.reloadTokens(slow), 'the slow copy takes them too').to.equal(true);
    expect(slow).to.include({ accessToken: 'new-access', refreshToken: 'new-refresh' });
    expect(await nodeA.reloadTokens(slow), 'nothing newer now').to.equal(false);
  });

  it('given a session idle past its limit, when read, then it is returned as expired once and its record is gone', async () => {
    const store = createSessionStore(LIMITS, createSealedSessions(createMemorySessionRecords(), keyOf('k1')));
    const created = await store.create(TOKENS, T0 + 1_000);
    const late = T0 + 1_000 + LIMITS.idleSeconds * 1000 + 1;
    const first = await store.get(created.id, late);
    expect(first.session).to.equal(undefined);
    expect(first.expired?.id).to.equal(created.id);
    expect(await store.get(created.id, late)).to.deep.equal({});
  });

  it('given a record sealed under the previous signing key, or tampered with, or moved under another id, then no session (its user signs in again)', async () => {
    const records = createMemorySessionRecords();
    const before = createSessionStore(LIMITS, createSealedSessions(records, keyOf('old-kid')));
    const rotated = createSessionStore(LIMITS, createSealedSessions(records, keyOf('new-kid')));
    const old = await before.create(TOKENS, T0 + 1_000);
    expect((await rotated.get(old.id, T0 + 2_000)).session).to.equal(undefined);

    const key = keyOf('k1');
    const store = createSessionStore(LIMITS, createSealedSessions(records, key));
    const victim = await store.create(TOKENS, T0 + 1_000);
    const other = await store.create({ ...TOKENS, userId: 'attacker' }, T0 + 1_000);
    const sealed = (await records.get('console', recordKeyOf(victim.id)))!;
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    await records.put('console', recordKeyOf(victim.id), [...parts.slice(0, 3), body.toString('base64url'), parts[4]].join('.'), Date.now() + 60_000);
    expect((await store.get(victim.id, T0 + 2_000)).session, 'tampered').to.equal(undefined);
    const truncated = [...parts.slice(0, 4), Buffer.from(parts[4]!, 'base64url').subarray(0, 4).toString('base64url')].join('.');
    await records.put('console', recordKeyOf(victim.id), truncated, Date.now() + 60_000);
    expect((await store.get(victim.id, T0 + 2_000)).session, 'a truncated tag').to.equal(undefined);
    await records.put('console', recordKeyOf(victim.id), (await records.get('console', recordKeyOf(other.id)))!, Date.now() + 60_000);
    expect((await store.get(victim.id, T0 + 2_000)).session, 'another session moved under this id').to.equal(undefined);
    for (const id of ['', 'short', '../../etc/passwd', 'x'.repeat(43) + '\n']) expect(await store.get(id, T0 + 2_000)).to.deep.equal({});
  });

  it('given records that fail, when a session is read or written, then a 503 saying nothing was changed, never a half-read session', async () => {
    const broken: SessionRecords = {
      kind: 'memory',
      put: async () => { throw new Error('connection refused 10.0.0.5:6379 password=hunter2'); },
      replace: async () => { throw new Error('connection refused'); },
      get: async () => { throw new Error('connection refused'); },
      delete: async () => { throw new Error('connection refused'); },
      close: async () => undefined,
    };
    const store = createSessionStore(LIMITS, createSealedSessions(broken, keyOf('k1')));
    const session = { ...TOKENS, id: 'a'.repeat(43), csrfToken: 'c', createdAt: 1, lastSeenAt: 1, flashes: [], secret: undefined };
    for (const call of [() => store.create(TOKENS, 1), () => store.get('a'.repeat(43), 1), () => store.save(session), () => store.saveTokens(session)]) {
      const error = await call().then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(HttpProblem);
      expect((error as HttpProblem).status).to.equal(503);
      expect((error as HttpProblem).detail).to.match(/nothing was changed/).and.not.match(/hunter2|10\.0\.0\.5/);
    }
  });

  it('given a storefront authorize session, when read on another node, then it is there, its last use moved; when deleted, then gone', async () => {
    const records = createMemorySessionRecords();
    const key = keyOf('k1');
    const a = createAuthorizeSessionStore(createSealedSessions(records, key));
    const b = createAuthorizeSessionStore(createSealedSessions(records, key));
    const created = await a.create('customer-1', 1.5, T0 + 1_000);
    expect(await b.get(created.id, T0 + 5_000)).to.deep.include({ userId: 'customer-1', authTime: 1.5, lastSeenAt: T0 + 5_000 });
    expect(await a.get(created.id, T0 + 5_000 + a.limits.idleSeconds * 1000 - 1), 'its last use was written back').to.not.equal(undefined);
    await b.delete(created.id);
    expect(await a.get(created.id, T0 + 6_000)).to.equal(undefined);
  });

  it('given sessions in PostgreSQL, then the table holds neither session ids nor tokens nor the one-time secret in clear', async function () {
    const database = await createPostgresDatabase();
    if (!database) {
      console.log(`      ${postgresUnavailableReason}`);
      return this.skip();
    }
    const records = createPostgresSessionRecords({ connectionString: database.url });
    const client = new pg.Client({ connectionString: database.url });
    try {
      await (await createPostgresEventStore({ connectionString: database.url, poolSize: 1 })).close(); // migrates
      const store = createSessionStore(LIMITS, createSealedSessions(records, keyOf('k1')));
      const session = await store.create(TOKENS, Date.now());
      session.secret = { applicationId: 'a-1', clientId: 'c-1', clientSecret: 'the-client-secret-shown-once' };
      await store.save(session);
      await client.connect();
      const { rows } = await client.query<{ kind: string; key: string; value: string }>('SELECT kind, key, value FROM console_sessions');
      expect(rows.map((r) => r.kind).sort(), 'the session and its tokens').to.deep.equal(['console', 'console-tokens']);
      const text = JSON.stringify(rows);
      for (const secret of [session.id, session.csrfToken, TOKENS.accessToken, 'access-token-body', TOKENS.refreshToken, 'the-client-secret-shown-once', 'user-id-in-clear-7f3a']) {
        expect(text, secret).not.to.contain(secret);
      }
      expect((await store.get(session.id, Date.now())).session?.secret?.clientSecret).to.equal('the-client-secret-shown-once');
    } finally {
      await client.end().catch(() => undefined);
      await records.close();
      await database.drop();
    }
  });
});
