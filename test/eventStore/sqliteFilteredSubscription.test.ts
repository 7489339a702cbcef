import { expect } from 'chai';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import type { RecordedEvent } from '../../src/eventStore/eventStore.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { events, waitFor } from './eventStoreTestKit.js';

describe('SQLite event store: filtered subscriptions', function () {
  let dir: TempDir;
  beforeEach(async () => (dir = await createTempDir('tollgate-fs-')));
  afterEach(() => dir.remove());

  it('given a filter, when only unrelated events are appended, then the live cursor moves past them to the head', async () => {
    const store = createSqliteEventStore({ file: dir.file('e.sqlite') });
    const seen: RecordedEvent[] = [];
    let live = false;
    const subscription = store.subscribeToAll({
      filter: { streamPrefixes: ['wanted-'] },
      onEvent: (e) => void seen.push(e),
      onCaughtUp: () => (live = true),
    });
    await waitFor(() => live);

    for (let i = 0; i < 20; i++) await store.appendToStream(`other-${i}`, events(1));
    const head = await store.headPosition();
    await waitFor(() => subscription.position === head);
    await store.appendToStream('wanted-1', events(1));
    await waitFor(() => seen.length === 1);

    expect(seen.map((e) => e.streamName)).to.deep.equal(['wanted-1']);
    expect(subscription.position).to.equal(await store.headPosition());
    await subscription.stop();
    await store.close();
  });
});

describe('SQLite event store: a second process sharing the file', function () {
  let dir: TempDir;
  beforeEach(async () => (dir = await createTempDir('tollgate-mp-')));
  afterEach(() => dir.remove());

  it('given a live subscription on one connection, when another connection commits, then the event is delivered by polling', async () => {
    const reader = createSqliteEventStore({ file: dir.file('e.sqlite'), livePollMs: 50 });
    const writer = createSqliteEventStore({ file: dir.file('e.sqlite') });
    const seen: RecordedEvent[] = [];
    let live = false;
    const subscription = reader.subscribeToAll({ onEvent: (e) => void seen.push(e), onCaughtUp: () => (live = true) });
    await waitFor(() => live);

    await writer.appendToStream('elsewhere-1', events(2));
    await waitFor(() => seen.length === 2);

    expect(seen.map((e) => e.streamName)).to.deep.equal(['elsewhere-1', 'elsewhere-1']);
    await subscription.stop();
    await writer.close();
    await reader.close();
  });
});
