/**
 * Token events per bucket (hour or day) of an application's token stream, for the console's
 * Tokens chart, without reading the events: each bucket boundary is found by a binary search
 * over revisions (searchRevisionAtTime, one-event reads), and a bucket's count is the
 * difference of its boundaries' revisions. Cost: 3 reads for the stream's bounds and oldest time, then at
 * most ⌈log₂ n⌉ + 1 one-event reads per boundary (each search starts at the previous answer),
 * so 25 boundaries over 1,000,000 events are at most 3 + 25 × 21 = 528 point reads, whatever
 * the traffic (ARCHITECTURE.md, "Tokens tab").
 *
 * What is counted: every event of the stream, TokenIssued and TokenRevoked alike (they share
 * it; revocations are rare), so the figure is labelled "token events". Retention: a bucket
 * that starts before the stream's first kept event counts from that event, so buckets older
 * than the retention window read 0 (the chart says where the kept history starts).
 */
import { inAuditTurn, paceAuditWork } from './auditGate.js';
import { toTokensStreamName } from '../domain/shared/streamNames.js';
import type { EventStore } from '../eventStore/eventStore.js';
import { eventTimeOf, searchRevisionAtTime, streamBounds } from '../eventStore/findRevisionAtTime.js';

export const BUCKETS = {
  hour: { ms: 3_600_000, default: 24 },
  day: { ms: 86_400_000, default: 30 },
} as const;
export type BucketSize = keyof typeof BUCKETS;
/** Buckets one chart may have at most (a period longer than this is cut to its newest buckets). */
export const MAX_BUCKETS = 62;

export interface ActivityBucket {
  /** Inclusive start, ISO. */
  start: string;
  /** Exclusive end, ISO. */
  end: string;
  count: number;
}

export interface TokenActivity {
  buckets: ActivityBucket[];
  /** When the oldest event the stream still holds happened, once retention has deleted older ones; null: nothing deleted (or no stream). */
  keptSince: string | null;
  /** Store reads this answer took (the figure ARCHITECTURE.md quotes). */
  reads: number;
}

/** Bucket boundaries: `count` buckets of `size` ending at `end` (aligned by the caller). */
export const bucketStarts = (end: Date, size: BucketSize, count: number): Date[] =>
  Array.from({ length: count + 1 }, (_, i) => new Date(end.getTime() - (count - i) * BUCKETS[size].ms));

/** The end of the bucket `now` falls in: buckets are whole UTC hours or days. */
export const alignedEnd = (now: Date, size: BucketSize): Date =>
  new Date(Math.floor(now.getTime() / BUCKETS[size].ms) * BUCKETS[size].ms + BUCKETS[size].ms);

/** Counts of token events in the consecutive buckets between `boundaries` (ascending times). */
export function tokenActivity(store: EventStore, applicationId: string, boundaries: readonly Date[]): Promise<TokenActivity> {
  return inAuditTurn(async () => {
    let reads = 0;
    const counted: EventStore = { ...store, readStream: (name, options) => ((reads += 1), store.readStream(name, options)) };
    const streamName = toTokensStreamName(applicationId);
    const bounds = await streamBounds(counted, streamName);
    const revisions: number[] = [];
    let keptSince: string | null = null;
    if (bounds !== null) {
      // A stream still starting at revision 0 holds every event: nothing to say about retention.
      if (bounds.first > 0) {
        const [first] = await counted.readStream(streamName, { direction: 'forwards', fromRevision: bounds.first, maxCount: 1 });
        keptSince = first === undefined ? null : new Date(eventTimeOf(first)).toISOString();
      }
      let low = bounds.first;
      for (const boundary of boundaries) {
        low = await searchRevisionAtTime(counted, streamName, boundary, low, bounds.last + 1);
        revisions.push(low);
        await paceAuditWork();
      }
    }
    const buckets = boundaries.slice(0, -1).map((start, i) => ({
      start: start.toISOString(),
      end: boundaries[i + 1]!.toISOString(),
      count: bounds === null ? 0 : revisions[i + 1]! - revisions[i]!,
    }));
    return { buckets, keptSince, reads };
  });
}
