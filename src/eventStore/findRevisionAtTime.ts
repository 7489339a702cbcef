import type { EventStore, RecordedEvent } from './eventStore.js';

/** The time an event happened: the writer's `occurredAt`, else when the store recorded it. */
export const eventTimeOf = (event: RecordedEvent): number =>
  Date.parse(event.metadata?.occurredAt ?? event.recordedAt);

/** The lowest and highest revision a stream still holds (retention may have removed the lowest). */
export async function streamBounds(store: EventStore, streamName: string): Promise<{ first: number; last: number } | null> {
  const [first] = await store.readStream(streamName, { direction: 'forwards', fromRevision: 0, maxCount: 1 });
  if (first === undefined) return null;
  const [last] = await store.readStream(streamName, { direction: 'backwards', maxCount: 1 });
  return { first: first.revision, last: (last ?? first).revision };
}

/**
 * The revision of the first event of a stream that happened at or after `time`, or null when
 * every event is older (or the stream holds none). A binary search over revisions with
 * one-event reads, so it costs O(log n) bounded reads whatever the stream's length. Revisions
 * may have gaps below the first one kept (token-event retention); a probe reads the first
 * event at or after the probed revision, so a gap is simply skipped.
 *
 * Event times in one stream follow revisions (a stream's writes are ordered); should two
 * writers' clocks disagree slightly, the answer is a revision near the boundary, and callers
 * still check every event's time against their bounds.
 */
export async function findRevisionAtTime(store: EventStore, streamName: string, time: Date): Promise<number | null> {
  const target = time.getTime();
  const bounds = await streamBounds(store, streamName);
  if (bounds === null) return null;
  let low = bounds.first; // every event below `low` is older than `time`
  let high = bounds.last + 1; // the answer is at most `high` (high = last + 1: none)
  while (low < high) {
    const middle = low + Math.floor((high - low) / 2);
    const [probe] = await store.readStream(streamName, { direction: 'forwards', fromRevision: middle, maxCount: 1 });
    if (probe === undefined || probe.revision >= high) {
      high = middle;
    } else if (eventTimeOf(probe) >= target) {
      high = probe.revision;
    } else {
      low = probe.revision + 1;
    }
  }
  if (high > bounds.last) return null;
  const [found] = await store.readStream(streamName, { direction: 'forwards', fromRevision: high, maxCount: 1 });
  return found?.revision ?? null;
}

/**
 * The first revision in `[low, high)` whose event happened at or after `time`, or `high` when
 * none does: the same one-event probes as findRevisionAtTime, within bounds the caller already
 * knows (the stream's bounds, or a previous answer when it searches for ascending times), so
 * a series of boundaries costs at most ⌈log₂(high − low)⌉ reads each and no bounds reads.
 * `low` must be at or above the stream's first kept revision (revisions have no gaps there).
 */
export async function searchRevisionAtTime(store: EventStore, streamName: string, time: Date, low: number, high: number): Promise<number> {
  const target = time.getTime();
  while (low < high) {
    const middle = low + Math.floor((high - low) / 2);
    const [probe] = await store.readStream(streamName, { direction: 'forwards', fromRevision: middle, maxCount: 1 });
    if (probe === undefined || probe.revision >= high) high = middle;
    else if (eventTimeOf(probe) >= target) high = probe.revision;
    else low = probe.revision + 1;
  }
  return high;
}
