import { paceAuditWork } from './auditGate.js';
import type { EventStore, RecordedEvent } from '../eventStore/eventStore.js';
import { eventTimeOf } from '../eventStore/findRevisionAtTime.js';
import { HISTORY_CHUNK } from './streamCursor.js';

/** A name as it changed over time: each entry holds from `since` (ms) until the next one. */
export type NameTimeline = ReadonlyArray<{ since: number; name: string }>;

/** The name at a time; before the first entry (an event older than the creation), the first name. */
export function nameAt(timeline: NameTimeline, time: number): string | null {
  let name = timeline[0]?.name ?? null;
  for (const entry of timeline) {
    if (entry.since > time) break;
    name = entry.name;
  }
  return name;
}

/**
 * The name an event gives (a creation's `field`, or a change `{ changes: { field: { to } } }`),
 * so a rename event added later is read without changing this module.
 */
const nameGivenBy = (event: RecordedEvent, field: string): string | undefined => {
  const data = event.data as Record<string, unknown> | null;
  if (data === null || typeof data !== 'object') return undefined;
  const direct = data[field];
  if (typeof direct === 'string') return direct;
  const changes = data.changes as Record<string, { to?: unknown }> | undefined;
  const to = changes?.[field]?.to;
  return typeof to === 'string' ? to : undefined;
};

/** Folds one stream in bounded chunks into the timeline of one of its name fields. */
export async function readNameTimeline(store: EventStore, streamName: string, field: string): Promise<NameTimeline> {
  const timeline: Array<{ since: number; name: string }> = [];
  for (let from = 0; ; ) {
    const chunk = await store.readStream(streamName, { direction: 'forwards', fromRevision: from, maxCount: HISTORY_CHUNK });
    for (const event of chunk) {
      const name = nameGivenBy(event, field);
      if (name !== undefined && name !== timeline.at(-1)?.name) timeline.push({ since: eventTimeOf(event), name });
    }
    if (chunk.length < HISTORY_CHUNK) return timeline;
    from = chunk.at(-1)!.revision + 1;
    await paceAuditWork();
  }
}

/** A small LRU of timelines for the length of one query or export: bounded, never stale for long. */
export function createTimelineCache(load: (id: string) => Promise<NameTimeline>, maxEntries = 500) {
  const entries = new Map<string, Promise<NameTimeline>>();
  return (id: string): Promise<NameTimeline> => {
    let found = entries.get(id);
    if (found !== undefined) {
      entries.delete(id);
    } else {
      found = load(id);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    }
    entries.set(id, found);
    return found;
  };
}
