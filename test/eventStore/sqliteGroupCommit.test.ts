import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { ConcurrencyError, StoreUnavailableError } from '../../src/eventStore/eventStore.js';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { events, newEvent, rejectionOf } from './eventStoreTestKit.js';

/** A clock that ticks once per call: every transaction gets its own recordedAt. */
const tickingClock = () => {
  let tick = 0;
  return () => new Date(Date.UTC(2025, 0, 1) + 1000 * tick++);
};

describe('SQLite event store: group commit', function () {
  let dir: TempDir;
  beforeEach(async () => (dir = await createTempDir('tollgate-gc-')));
  afterEach(() => dir.remove());

  for (const [groupCommit, transactions] of [[true, 1], [false, 50]] as const) {
    it(`given group commit ${groupCommit ? 'on' : 'off'}, 50 concurrent appends are written in ${transactions} transaction(s)`, async function () {
      const store = createSqliteEventStore({ file: dir.file('e.sqlite'), groupCommit, clock: tickingClock() });

      await Promise.all(Array.from({ length: 50 }, (_, i) => store.appendToStream(`s-${i}`, events(1))));

      const recordedAt = new Set((await store.readAll()).map((e) => e.recordedAt));
      await store.close();
      expect(recordedAt.size).to.equal(transactions);
    });
  }

  it('lets later appends in a batch see earlier ones to the same stream', async function () {
    const store = createSqliteEventStore({ file: dir.file('e.sqlite'), clock: tickingClock() });

    const results = await Promise.all([
      store.appendToStream('s', events(1), { expectedRevision: 'no_stream' }),
      store.appendToStream('s', events(2), { expectedRevision: 0 }),
      store.appendToStream('s', events(1), { expectedRevision: 2 }),
    ]);

    const read = await store.readStream('s');
    await store.close();
    expect(results.map((r) => r.nextExpectedRevision)).to.deep.equal([0, 2, 3]);
    expect(new Set(read.map((e) => e.recordedAt)).size).to.equal(1);
  });

  it('rolls back only the append whose second event fails, keeping its neighbours in the same transaction', async function () {
    const store = createSqliteEventStore({ file: dir.file('e.sqlite'), clock: tickingClock() });
    const existing = newEvent();
    await store.appendToStream('old', [existing]);

    const [before, failing, after] = await Promise.allSettled([
      store.appendToStream('a', events(1)),
      store.appendToStream('b', [newEvent(), { ...newEvent(), id: existing.id }]),
      store.appendToStream('c', events(1)),
    ]);

    const stored = await store.readAll();
    await store.close();
    expect([before.status, failing.status, after.status]).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect(stored.map((e) => e.streamName)).to.deep.equal(['old', 'a', 'c']);
    expect(stored[1]!.recordedAt).to.equal(stored[2]!.recordedAt);
  });

  it('rolls back a one-event append with a duplicate id alone (no savepoint), leaving its stream head untouched', async function () {
    // Given a stream at revision 0 and an event id already used elsewhere
    const store = createSqliteEventStore({ file: dir.file('e.sqlite'), clock: tickingClock() });
    const existing = newEvent();
    await store.appendToStream('old', [existing]);
    await store.appendToStream('b', events(1));

    // When one-event appends share a batch with one that reuses the id
    const [before, failing, after] = await Promise.allSettled([
      store.appendToStream('a', events(1)),
      store.appendToStream('b', [{ ...newEvent(), id: existing.id }], { expectedRevision: 0 }),
      store.appendToStream('c', events(1)),
    ]);

    // Then only that append fails, and stream b still expects revision 0
    expect([before.status, failing.status, after.status]).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    const next = await store.appendToStream('b', events(1), { expectedRevision: 0 });
    const stored = await store.readAll();
    await store.close();
    expect(next.nextExpectedRevision).to.equal(1);
    expect(stored.map((e) => `${e.streamName}@${e.revision}`)).to.deep.equal(['old@0', 'b@0', 'a@0', 'c@0', 'b@1']);
    expect(stored[2]!.recordedAt, 'a and c were committed in one transaction').to.equal(stored[3]!.recordedAt);
  });

  it('given appends to one stream in a batch with a failed one between them, then the head written at commit is the last successful one, also after reopening', async function () {
    // Given a stream at revision 0 and an event id already used
    const file = dir.file('e.sqlite');
    const store = createSqliteEventStore({ file, clock: tickingClock() });
    const existing = newEvent();
    await store.appendToStream('s', [existing]);

    // When one batch appends to it, fails a two-event append in the middle, and appends again
    const [first, failing, last] = await Promise.allSettled([
      store.appendToStream('s', events(1), { expectedRevision: 0 }),
      store.appendToStream('s', [newEvent(), { ...newEvent(), id: existing.id }], { expectedRevision: 1 }),
      store.appendToStream('s', events(1), { expectedRevision: 1 }),
    ]);
    await store.close();

    // Then the failed append moved nothing, and the file's head is revision 2
    expect([first.status, failing.status, last.status]).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    const reopened = createSqliteEventStore({ file });
    const stale = await rejectionOf(reopened.appendToStream('s', events(1), { expectedRevision: 1 }));
    const next = await reopened.appendToStream('s', events(1), { expectedRevision: 2 });
    const read = await reopened.readStream('s');
    await reopened.close();
    expect(stale).to.be.instanceOf(ConcurrencyError);
    expect(next.nextExpectedRevision).to.equal(3);
    expect(read.map((e) => e.revision)).to.deep.equal([0, 1, 2, 3]);
  });

  it('given a new event type first written by an append that is rolled back, then the next appends of that type in the batch and after it read back with their type', async function () {
    // Given an event id already used
    const file = dir.file('e.sqlite');
    const store = createSqliteEventStore({ file, clock: tickingClock() });
    const existing = newEvent();
    await store.appendToStream('old', [existing]);

    // When a batch's first append of a new type is rolled back (its second event reuses the id)
    const [failing, sameBatch] = await Promise.allSettled([
      store.appendToStream('a', [newEvent('BrandNew'), { ...newEvent('BrandNew'), id: existing.id }]),
      store.appendToStream('b', [newEvent('BrandNew')]),
    ]);
    // And later batches write the type again (known by then)
    await store.appendToStream('c', [newEvent('BrandNew')]);
    await store.appendToStream('c', [newEvent('OtherNew'), newEvent('BrandNew')]);

    // Then every stored event reads back with the type it was written with, also after reopening
    expect([failing.status, sameBatch.status]).to.deep.equal(['rejected', 'fulfilled']);
    await store.close();
    const reopened = createSqliteEventStore({ file });
    const stored = await reopened.readAll();
    const byType = await reopened.readAll({ filter: { eventTypes: ['BrandNew'] } });
    await reopened.close();
    expect(stored.map((e) => `${e.streamName}:${e.type}`)).to.deep.equal([
      'old:ThingHappened',
      'b:BrandNew',
      'c:BrandNew',
      'c:OtherNew',
      'c:BrandNew',
    ]);
    expect(byType.map((e) => e.streamName)).to.deep.equal(['b', 'c', 'c']);
  });

  it('flushes pending appends on close, then refuses new ones', async function () {
    const file = dir.file('e.sqlite');
    const store = createSqliteEventStore({ file });
    const id = randomUUID();

    const pending = store.appendToStream('s', [{ ...newEvent(), id }]);
    await store.close();
    await pending;
    const refused = await rejectionOf(store.appendToStream('s', events(1)));

    const reopened = createSqliteEventStore({ file });
    const read = await reopened.readStream('s');
    await reopened.close();
    expect(read.map((e) => e.id)).to.deep.equal([id]);
    expect(refused).to.be.instanceOf(StoreUnavailableError);
  });
});
