import { expect } from 'chai';
import pg from 'pg';
import { createEventStore } from '../../src/eventStore/createEventStore.js';
import { StoreUnavailableError, type RecordedEvent } from '../../src/eventStore/eventStore.js';
import { migrate } from '../../src/eventStore/postgres/migrate.js';
import { createPostgresEventStore, type PostgresEventStore } from '../../src/eventStore/postgres/postgresEventStore.js';
import { createPostgresDatabase, usePostgresDatabase } from '../support/postgresDatabase.js';
import { events, newEvent, rejectionOf, unique, waitFor } from './eventStoreTestKit.js';

describe('PostgreSQL event store: schema, batching, notifications, outages', function () {
  this.timeout(30_000);
  const database = usePostgresDatabase();
  const opened: PostgresEventStore[] = [];
  const open = async (options: Partial<Parameters<typeof createPostgresEventStore>[0]> = {}) => {
    const store = await createPostgresEventStore({ connectionString: database().url, poolSize: 3, ...options });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  const sql = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: database().url });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  };

  describe('migrations', function () {
    it('given an empty database, when five nodes start at once, then each migration is applied exactly once', async function () {
      const fresh = (await createPostgresDatabase())!;
      try {
        const stores = await Promise.all(Array.from({ length: 5 }, () => createPostgresEventStore({ connectionString: fresh.url, poolSize: 1 })));
        await stores[0]!.appendToStream('s-1', events(1));
        expect(await stores[4]!.readStream('s-1')).to.have.length(1);
        await Promise.all(stores.map((store) => store.close()));

        const client = new pg.Client({ connectionString: fresh.url });
        await client.connect();
        const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        const again = await migrate(client);
        await client.end();
        expect(rows.map((row) => row.version)).to.deep.equal([1, 2, 3]);
        expect(again, 'a later start applies nothing').to.deep.equal([]);
      } finally {
        await fresh.drop();
      }
    });

    it('is selected by EVENTSTORE_URL=postgres:// or postgresql:// and touches no data directory', async function () {
      for (const url of [database().url, database().url.replace(/^postgres:/, 'postgresql:')]) {
        const store = await createEventStore({ eventStoreUrl: url, dataDir: '/nonexistent/never-created' });
        await store.ping();
        await store.close();
        expect(store.kind).to.equal('postgres');
      }
    });
  });

  describe('group commit', function () {
    it('given concurrent appends, then they commit in one transaction, and a duplicate event id fails only its own append', async function () {
      // Given a clock that moves on every call: one call per batch
      let tick = Date.parse('2025-01-01T00:00:00.000Z');
      const store = await open({ clock: () => new Date((tick += 1000)) });
      const existing = newEvent();
      const [a, b, c] = [unique('a-'), unique('b-'), unique('c-')];
      await store.appendToStream(unique('old-'), [existing]);
      await store.appendToStream(b, events(1));

      // When three appends are made in one turn, the middle one reusing a stored event id
      const outcomes = await Promise.allSettled([
        store.appendToStream(a, events(2)),
        store.appendToStream(b, [newEvent(), { ...newEvent(), id: existing.id }], { expectedRevision: 0 }),
        store.appendToStream(c, events(1), { expectedRevision: 'no_stream' }),
      ]);

      // Then only it fails, its stream still expects revision 0, and the others share a commit time
      expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
      expect(((outcomes[1] as PromiseRejectedResult).reason as Error).message).to.contain('already stored');
      expect(await store.readStream(b)).to.have.length(1);
      expect((await store.appendToStream(b, events(1), { expectedRevision: 0 })).nextExpectedRevision).to.equal(1);
      const [ra, rc] = [await store.readStream(a), await store.readStream(c)];
      expect(ra[0]!.recordedAt).to.equal(rc[0]!.recordedAt);
    });

    it('given appends to one stream in one batch, then each is checked against the head the earlier ones left', async function () {
      const store = await open();
      const stream = unique('same-');

      const outcomes = await Promise.allSettled([
        store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' }),
        store.appendToStream(stream, events(1), { expectedRevision: 0 }),
        store.appendToStream(stream, events(1), { expectedRevision: 0 }),
      ]);

      expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'fulfilled', 'rejected']);
      expect((outcomes[2] as PromiseRejectedResult).reason).to.include({ actual: 1 });
    });
  });

  describe('retention (max age)', function () {
    it('given a stream with a max age, when retention runs, then old events go and revisions continue', async function () {
      let now = new Date('2025-01-01T00:00:00.000Z');
      const store = await open({ clock: () => now, retentionIntervalMs: 0 });
      const [tokens, kept] = [unique('oauthTokens-'), unique('kept-')];
      await store.setStreamMaxAge(tokens, 60);
      await store.appendToStream(tokens, events(2), { expectedRevision: 'no_stream' });
      await store.appendToStream(kept, events(1));
      now = new Date(now.getTime() + 100_000);
      await store.appendToStream(tokens, events(1), { expectedRevision: 1 });

      const deleted = await store.enforceRetention(new Date(now.getTime() + 20_000));

      expect(deleted).to.equal(2);
      expect((await store.readStream(tokens)).map((e) => e.revision)).to.deep.equal([2]);
      expect(await store.readStream(kept)).to.have.length(1);
      expect(await rejectionOf(store.appendToStream(tokens, events(1), { expectedRevision: 'no_stream' }))).to.include({ actual: 2 });
      expect((await store.appendToStream(tokens, events(1), { expectedRevision: 2 })).nextExpectedRevision).to.equal(3);
    });

    it('does not let a max age set in advance make the stream exist, and refuses a bad max age', async function () {
      const store = await open();
      const stream = unique('oauthTokens-');
      await store.setStreamMaxAge(stream, 60);

      expect(await rejectionOf(store.appendToStream(stream, events(1), { expectedRevision: 'stream_exists' }))).to.include({ actual: 'no_stream' });
      expect((await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' })).nextExpectedRevision).to.equal(0);
      for (const bad of [0, -5, 1.5, Number.NaN]) expect(await rejectionOf(store.setStreamMaxAge(stream, bad))).to.be.instanceOf(TypeError);
    });
  });

  describe('LISTEN/NOTIFY', function () {
    const liveSubscriber = async (store: PostgresEventStore, prefix: string, received: RecordedEvent[]) => {
      let live = false;
      const subscription = store.subscribeToAll({
        afterPosition: await store.headPosition(),
        filter: { streamPrefixes: [prefix] },
        onEvent: (event) => void received.push(event),
        onCaughtUp: () => (live = true),
      });
      await waitFor(() => live);
      return subscription;
    };

    it('given polling off, when another node commits, then its notification wakes the live subscription', async function () {
      const [writer, reader] = [await open(), await open({ livePollMs: 0 })];
      const prefix = unique('notify-');
      const received: RecordedEvent[] = [];
      const subscription = await liveSubscriber(reader, prefix, received);

      await writer.appendToStream(`${prefix}1`, events(2));

      await waitFor(() => received.length >= 2);
      await subscription.stop();
    });

    it('given its LISTEN connection is killed, then it listens again and catches up with what was committed meanwhile', async function () {
      const [writer, reader] = [await open(), await open({ livePollMs: 0 })];
      const prefix = unique('relisten-');
      const received: RecordedEvent[] = [];
      const subscription = await liveSubscriber(reader, prefix, received);

      await sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tollgate-listen'`);
      await writer.appendToStream(`${prefix}1`, events(1));
      await waitFor(() => received.length >= 1);
      await writer.appendToStream(`${prefix}1`, events(1));
      await waitFor(() => received.length >= 2);
      await subscription.stop();
    });
  });

  describe('outages', function () {
    it('given nothing listens at the address, then opening fails with StoreUnavailableError without the connection string', async function () {
      const error = await rejectionOf(createPostgresEventStore({ connectionString: 'postgres://tollgate:s3cret@127.0.0.1:1/x' }));

      expect(error).to.be.instanceOf(StoreUnavailableError);
      expect((error as Error).message).not.to.contain('s3cret');
    });

    it('given the server terminates the connections, then appends fail with StoreUnavailableError, lose nothing acknowledged, and recover', async function () {
      const store = await open();
      const stream = unique('outage-');
      await store.appendToStream(stream, events(1));

      await sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tollgate' AND pid <> pg_backend_pid()`);
      const outcomes = await Promise.allSettled(Array.from({ length: 3 }, () => store.appendToStream(stream, events(1))));
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).to.be.instanceOf(StoreUnavailableError);
      }
      const acknowledged = outcomes.filter((o) => o.status === 'fulfilled').length;
      await store.appendToStream(stream, events(1));

      expect(await store.readStream(stream)).to.have.length(1 + acknowledged + 1);
    });
  });
});
