import { expect } from 'chai';
import { commitMatches } from '../../src/eventStore/catchUpSubscription.js';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import type { RecordedEvent } from '../../src/eventStore/eventStore.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { events, waitFor } from './eventStoreTestKit.js';

describe('SQLite event store: filtered subscriptions', function () {
  let dir: TempDir;
  beforeEach(async () => (dir = await createTempDir('tollgate-fs-')));
  afterEach(() => dir.remove());

  it('given a filter, when only unrelated events are appended, then the live cursor moves past them to the head (at the next poll)', async () => {
    const store = createSqliteEventStore({ file: dir.file('e.sqlite'), livePollMs: 50 });
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

  it('given a filter, when unrelated commits arrive, then the subscription does not read; a matching commit wakes it', async () => {
    // Given a live subscription to one prefix and type, with polling off
    const store = createSqliteEventStore({ file: dir.file('e.sqlite'), livePollMs: 0 });
    const seen: RecordedEvent[] = [];
    let live = false;
    const subscription = store.subscribeToAll({
      filter: { streamPrefixes: ['wanted-'], eventTypes: ['Happened'] },
      onEvent: (e) => void seen.push(e),
      onCaughtUp: () => (live = true),
    });
    await waitFor(() => live);
    const before = subscription.position;

    // When only unrelated streams commit
    for (let i = 0; i < 10; i++) await store.appendToStream(`other-${i}`, events(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Then the subscription was not woken: its cursor has not moved
    expect(subscription.position).to.equal(before);

    // When a matching event commits
    await store.appendToStream('wanted-1', events(1, 'Happened'));
    // Then it is delivered, and the cursor is at the head
    await waitFor(() => seen.length === 1);
    expect(seen[0]!.streamName).to.equal('wanted-1');
    expect(subscription.position).to.equal(await store.headPosition());
    await subscription.stop();
    await store.close();
  });
});

describe('commitMatches (which commits wake a filtered subscription)', () => {
  const commit = [{ streamName: 'oauthTokens-a1', types: ['TokenIssued'] }];
  it('given no filter or an empty one, then every commit matches', () => {
    expect(commitMatches(undefined, commit)).to.equal(true);
    expect(commitMatches({ streamPrefixes: [], eventTypes: [] }, commit)).to.equal(true);
  });
  it('given prefixes, then a commit matches when one append is on one of them', () => {
    expect(commitMatches({ streamPrefixes: ['oauthApplication-', 'oauthTokens-'] }, commit)).to.equal(true);
    expect(commitMatches({ streamPrefixes: ['oauthApplication-'] }, commit)).to.equal(false);
  });
  it('given types, then a commit matches when one of its events has one of them', () => {
    expect(commitMatches({ eventTypes: ['TokenRevoked'] }, commit)).to.equal(false);
    expect(commitMatches({ eventTypes: ['TokenRevoked'] }, [...commit, { streamName: 'oauthTokens-a2', types: ['TokenIssued', 'TokenRevoked'] }])).to.equal(true);
  });
  it('given prefixes and types, then both must hold for the same append', () => {
    const filter = { streamPrefixes: ['oauthTokens-'], eventTypes: ['TokenRevoked'] };
    expect(commitMatches(filter, [{ streamName: 'oauthTokens-a1', types: ['TokenIssued'] }, { streamName: 'user-1', types: ['TokenRevoked'] }])).to.equal(false);
    expect(commitMatches(filter, [{ streamName: 'oauthTokens-a1', types: ['TokenRevoked'] }])).to.equal(true);
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
