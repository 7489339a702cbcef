import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { alignedEnd, bucketStarts, tokenActivity } from '../../src/audit/tokenActivity.js';
import { toTokensStreamName } from '../../src/domain/shared/streamNames.js';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { createTempDir } from '../support/tempDir.js';
import { APP, createHistoryFixture, minute, recordingReads, type HistoryFixture } from './historyFixture.js';

/**
 * The Tokens chart's counts (src/audit/tokenActivity.ts) on a real SQLite store: found by time
 * searches over revisions, never by reading the events, and right across retention.
 */
describe('token activity per bucket: counts by time search, one-event reads only', function () {
  let fixture: HistoryFixture;
  before(async () => {
    fixture = await createHistoryFixture();
  });
  after(() => fixture.close());

  it('given a token a minute and retention that removed the oldest, then each bucket counts what is kept in it, with one-event reads', async () => {
    // given tokens at minutes 2..31, of which retention kept 12..31
    const { store, maxCounts } = recordingReads(fixture.store);
    const boundaries = Array.from({ length: 8 }, (_, i) => minute(i * 5));

    // when they are counted in 5-minute buckets from minute 0 to 35
    const activity = await tokenActivity(store, APP, boundaries);

    // then the buckets before the oldest kept event read 0, and the rest count exactly
    expect(activity.buckets.map((b) => b.count)).to.deep.equal([0, 0, 3, 5, 5, 5, 2]);
    expect(activity.keptSince).to.equal(minute(12).toISOString());
    expect(maxCounts.every((n) => n === 1)).to.equal(true);
    expect(activity.reads).to.equal(maxCounts.length);
  });

  it('given no token stream, then every bucket is 0, after one read', async () => {
    const activity = await tokenActivity(fixture.store, 'no-such-application', bucketStarts(alignedEnd(minute(0), 'hour'), 'hour', 24));
    expect(activity.buckets).to.have.length(24);
    expect(activity.buckets.every((b) => b.count === 0)).to.equal(true);
    expect(activity).to.include({ keptSince: null, reads: 1 });
  });

  it('given 5,000 token events a second apart, then 24 buckets cost at most 3 + 25 × (⌈log₂ n⌉ + 1) point reads and count exactly', async function () {
    this.timeout(30_000);
    const dir = await createTempDir('tollgate-activity-');
    const store = createSqliteEventStore({ file: dir.file('events.sqlite'), retentionIntervalMs: 0 });
    try {
      // given 5,000 events, one a second from 10:00:00
      const start = Date.UTC(2026, 0, 5, 10, 0, 0);
      const n = 5000;
      for (let batch = 0; batch < n; batch += 500) {
        await store.appendToStream(toTokensStreamName('busy'), Array.from({ length: 500 }, (_, i) => ({
          id: randomUUID(),
          type: 'TokenIssued',
          data: { jti: randomUUID(), applicationId: 'busy', clientId: 'c', grant: 'client_credentials', sub: 'u', aud: [], scope: '', exp: 0 },
          metadata: { actor: 'client:c', occurredAt: new Date(start + (batch + i) * 1000).toISOString(), correlationId: randomUUID() },
        })));
      }
      // when counted in 24 buckets of 5 minutes from 09:50
      const boundaries = Array.from({ length: 25 }, (_, i) => new Date(start - 600_000 + i * 300_000));
      const { store: recorded, maxCounts } = recordingReads(store);
      const activity = await tokenActivity(recorded, 'busy', boundaries);

      // then each bucket holds the events of its 300 seconds, and the reads stay logarithmic
      const expected = boundaries.slice(0, -1).map((b, i) => {
        const from = Math.max(0, Math.ceil((b.getTime() - start) / 1000));
        const to = Math.min(n, Math.max(0, Math.ceil((boundaries[i + 1]!.getTime() - start) / 1000)));
        return Math.max(0, to - from);
      });
      expect(activity.buckets.map((b) => b.count)).to.deep.equal(expected);
      expect(expected.reduce((a, b) => a + b, 0)).to.equal(n);
      expect(activity.reads).to.be.at.most(3 + 25 * (Math.ceil(Math.log2(n)) + 1));
      expect(maxCounts.every((count) => count === 1)).to.equal(true);
      // and, the chart starting before the first token but nothing having been deleted, it says nothing of retention
      expect(activity.keptSince).to.equal(null);
    } finally {
      await store.close();
      await dir.remove();
    }
  });
});
