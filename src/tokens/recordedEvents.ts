import type { AppendResult, NewEvent, RecordedEvent } from '../eventStore/eventStore.js';

/**
 * The recorded form of events this node has just appended, for `StateCache.applyAppended`.
 * Revisions are exact (the append result names the last one); the position of all of them
 * is the batch's last position, which the cache does not use for ordering.
 */
export function toRecordedEvents(
  streamName: string,
  events: readonly NewEvent[],
  result: AppendResult,
): RecordedEvent[] {
  const first = result.nextExpectedRevision - events.length + 1;
  return events.map((event, i) => ({
    ...event,
    streamName,
    revision: first + i,
    position: result.position,
    recordedAt: event.metadata.occurredAt,
  }));
}
