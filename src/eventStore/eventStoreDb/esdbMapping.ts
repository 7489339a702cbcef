import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Filter,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { EventFilter, EventMetadata, ExpectedRevision, RecordedEvent } from '../eventStore.js';

export const toEsdbExpectedRevision = (expected: ExpectedRevision): AppendExpectedRevision => {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return BigInt(expected);
};

/** Our positions are commit positions; ESDB reads want both parts (equal for events it wrote). */
export const toEsdbPosition = (position: number): Position => ({
  commit: BigInt(position),
  prepare: BigInt(position),
});

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Server-side filter (EventStoreDB applies one, on stream name or on event type): the exact
 * event types when given — a list of types is the narrower of the two (the state cache's
 * revocation filter names `oauthTokens-` streams but only `TokenRevoked`, so a prefix filter
 * would still send every `TokenIssued`) — with the stream prefixes then checked client-side;
 * else the stream prefixes; else everything but system events.
 */
export const toEsdbFilter = (filter: EventFilter | undefined): Filter => {
  if (filter?.eventTypes?.length)
    return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$` });
  if (filter?.streamPrefixes?.length) return streamNameFilter({ prefixes: filter.streamPrefixes });
  return excludeSystemEvents();
};

/** Our event from ESDB's, or undefined for system events ($-types or $-streams) and links. */
export function toRecordedEvent(
  resolved: ResolvedEvent | AllStreamResolvedEvent,
): RecordedEvent | undefined {
  const event = resolved.event;
  if (event === undefined || event.type.startsWith('$') || event.streamId.startsWith('$')) {
    return undefined;
  }
  const commit = event.position?.commit ?? resolved.commitPosition;
  return {
    id: event.id,
    type: event.type,
    data: event.isJson ? event.data : JSON.parse(Buffer.from(event.data).toString('utf8')),
    metadata: event.metadata as unknown as EventMetadata,
    streamName: event.streamId,
    revision: Number(event.revision),
    position: commit === undefined ? -1 : Number(commit),
    recordedAt: event.created.toISOString(),
  };
}
