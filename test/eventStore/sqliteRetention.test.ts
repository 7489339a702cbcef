import { expect } from 'chai';
import { createSqliteEventStore, type SqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { events, rejectionOf } from './eventStoreTestKit.js';

describe('SQLite event store: retention ($maxAge equivalent)', function () {
  let dir: TempDir;
  let now: Date;
  let store: SqliteEventStore;
  beforeEach(async () => {
    dir = await createTempDir('tollgate-ret-');
    now = new Date('2025-01-01T00:00:00.000Z');
    store = createSqliteEventStore({ file: dir.file('e.sqlite'), clock: () => now, retentionIntervalMs: 0 });
  });
  afterEach(async () => {
    await store.close();
    await dir.remove();
  });

  const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

  it('given a stream with a max age, when retention runs, then old events go and revisions continue', async function () {
    await store.setStreamMaxAge('oauthTokens-a', 60);
    await store.appendToStream('oauthTokens-a', events(2), { expectedRevision: 'no_stream' });
    await store.appendToStream('kept-forever', events(1));
    now = later(100);
    await store.appendToStream('oauthTokens-a', events(1), { expectedRevision: 1 });

    const deleted = await store.enforceRetention(later(20));

    expect(deleted).to.equal(2);
    expect((await store.readStream('oauthTokens-a')).map((e) => e.revision)).to.deep.equal([2]);
    expect(await store.readStream('kept-forever')).to.have.length(1);
    const next = await store.appendToStream('oauthTokens-a', events(1), { expectedRevision: 2 });
    expect(next.nextExpectedRevision).to.equal(3);
  });

  it('keeps a fully truncated stream known: no_stream is refused, its last revision is expected', async function () {
    await store.setStreamMaxAge('oauthTokens-b', 1);
    await store.appendToStream('oauthTokens-b', events(3));

    await store.enforceRetention(later(10));

    expect(await store.readStream('oauthTokens-b')).to.deep.equal([]);
    expect((await rejectionOf(store.appendToStream('oauthTokens-b', events(1), { expectedRevision: 'no_stream' }))))
      .to.have.property('actual', 2);
    expect((await store.appendToStream('oauthTokens-b', events(1), { expectedRevision: 2 })).nextExpectedRevision).to.equal(3);
  });

  it('does not let a max age on a new stream make it exist', async function () {
    await store.setStreamMaxAge('oauthTokens-c', 60);

    const result = await store.appendToStream('oauthTokens-c', events(1), { expectedRevision: 'no_stream' });

    expect(result.nextExpectedRevision).to.equal(0);
  });

  it('rejects a max age that is not a positive whole number of seconds', async function () {
    for (const bad of [0, -5, 1.5, Number.NaN]) {
      expect(await rejectionOf(store.setStreamMaxAge('s', bad))).to.be.instanceOf(TypeError);
    }
  });
});
