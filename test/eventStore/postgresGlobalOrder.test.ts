import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { RecordedEvent } from '../../src/eventStore/eventStore.js';
import { createPostgresEventStore, type PostgresEventStore } from '../../src/eventStore/postgres/postgresEventStore.js';
import { usePostgresDatabase } from '../support/postgresDatabase.js';
import { events, unique, waitFor } from './eventStoreTestKit.js';

describe('PostgreSQL event store: global order with concurrent writers', function () {
  this.timeout(60_000);
  const database = usePostgresDatabase();
  const opened: PostgresEventStore[] = [];
  const open = async (options: { groupCommit?: boolean } = {}) => {
    const store = await createPostgresEventStore({ connectionString: database().url, poolSize: 3, ...options });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('given a writer still in flight with a lower position, then readers do not pass it, and deliver both in order once it commits', async function () {
    // Given a transaction that has appended (position P) but not committed
    const writer = await open();
    const reader = await open();
    const prefix = unique('held-');
    const start = await reader.headPosition();
    const held = new pg.Client({ connectionString: database().url });
    await held.connect();
    const heldId = randomUUID();
    try {
      await held.query('BEGIN');
      await held.query(
        `SELECT * FROM tollgate_append($1, $2, $3, $4, $5, $6, $7, now())`,
        [[`${prefix}a`], [-1], [1], [heldId], ['Held'], ['{}'], ['{"actor":"t"}']],
      );
      // When another writer commits a later position
      const later = await writer.appendToStream(`${prefix}b`, events(1));
      const received: RecordedEvent[] = [];
      const subscription = reader.subscribeToAll({
        afterPosition: start,
        filter: { streamPrefixes: [prefix] },
        onEvent: (event) => void received.push(event),
      });

      // Then a read of all events does not show the later event while the earlier writer is in flight
      expect(await reader.readAll({ afterPosition: start, filter: { streamPrefixes: [prefix] } })).to.deep.equal([]);
      expect(received).to.deep.equal([]);

      // And once it commits, the subscription delivers the earlier event first
      await held.query('COMMIT');
      await waitFor(() => received.length >= 2);
      await subscription.stop();
      expect(received.map((e) => e.id)).to.deep.equal([heldId, received[1]!.id]);
      expect(received[0]!.position).to.be.below(later.position);
      expect(received[1]!.position).to.equal(later.position);
    } finally {
      await held.query('ROLLBACK').catch(() => undefined);
      await held.end();
    }
  });

  it('given an older writer in flight, when a node reads all events after its own append, then the read waits for it and includes the append', async function () {
    // Given a transaction that has appended but not committed, and then an append of this node
    const store = await open();
    const prefix = unique('ryw-');
    const start = await store.headPosition();
    const held = new pg.Client({ connectionString: database().url });
    await held.connect();
    try {
      await held.query('BEGIN');
      await held.query(`SELECT * FROM tollgate_append($1, $2, $3, $4, $5, $6, $7, now())`, [
        [`${prefix}held`], [-1], [1], [randomUUID()], ['Held'], ['{}'], ['{"actor":"t"}'],
      ]);
      const mine = await store.appendToStream(`${prefix}mine`, events(1));

      // When this node reads all events, and the older writer commits meanwhile
      const reading = store.readAll({ afterPosition: start, filter: { streamPrefixes: [prefix] } });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await held.query('COMMIT');

      // Then the read shows both, its own append included
      const read = await reading;
      expect(read.map((e) => e.streamName)).to.deep.equal([`${prefix}held`, `${prefix}mine`]);
      expect(read[1]!.position).to.equal(mine.position);
    } finally {
      await held.query('ROLLBACK').catch(() => undefined);
      await held.end();
    }
  });

  it('given many concurrent writers on several pools, then a subscription and a paging reader see every event once, in position order', async function () {
    // Given four nodes' worth of writers (two batching, two not) and two readers
    const writers = await Promise.all([open(), open(), open({ groupCommit: false }), open({ groupCommit: false })]);
    const reader = await open();
    const prefix = unique('race-');
    const start = await reader.headPosition();
    const delivered: RecordedEvent[] = [];
    const subscription = reader.subscribeToAll({
      afterPosition: start,
      filter: { streamPrefixes: [prefix] },
      onEvent: (event) => void delivered.push(event),
    });
    const paged: RecordedEvent[] = [];
    let writing = true;
    const paging = (async () => {
      // A cursor like the state cache's catch-up: each page strictly after the last position seen.
      let cursor = start;
      for (;;) {
        const page = await reader.readAll({ afterPosition: cursor, maxCount: 37, filter: { streamPrefixes: [prefix] } });
        paged.push(...page);
        if (page.length > 0) cursor = page.at(-1)!.position;
        else if (!writing) return;
        else await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();

    // When each writer appends to 10 streams in 15 concurrent rounds
    let expected = 0;
    await Promise.all(
      writers.map(async (store, w) => {
        for (let round = 0; round < 15; round += 1) {
          await Promise.all(
            Array.from({ length: 10 }, (_, s) => {
              const count = 1 + ((round + s) % 3);
              expected += count;
              return store.appendToStream(`${prefix}${w}-${s}`, events(count));
            }),
          );
        }
      }),
    );
    writing = false;
    await waitFor(() => delivered.length >= expected);
    await paging;
    await subscription.stop();

    // Then both readers saw exactly the stored events, each once, in increasing position order
    const stored = await reader.readAll({ afterPosition: start, filter: { streamPrefixes: [prefix] } });
    expect(stored).to.have.length(expected);
    for (const seen of [delivered, paged]) {
      expect(seen.map((e) => e.id)).to.deep.equal(stored.map((e) => e.id));
      expect(seen.every((e, i) => i === 0 || e.position > seen[i - 1]!.position)).to.equal(true);
    }
    // And positions grow with transaction ids (what lets one number be the cursor)
    const client = new pg.Client({ connectionString: database().url });
    await client.connect();
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT transaction_id, lag(transaction_id) OVER (ORDER BY position) AS previous FROM events) t
       WHERE previous > transaction_id`,
    );
    await client.end();
    expect(Number(rows[0]!.n)).to.equal(0);
    // And every stream's revisions are gap-free
    const byStream = new Map<string, number[]>();
    for (const e of stored) byStream.set(e.streamName, [...(byStream.get(e.streamName) ?? []), e.revision]);
    for (const revisions of byStream.values()) expect(revisions).to.deep.equal(revisions.map((_, i) => i));
  });
});
