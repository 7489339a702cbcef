import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  jsonEvent,
  type JSONType,
} from '@eventstore/db-client';
import { matchesFilter } from './eventFilter.js';
import type { EventStore, RecordedEvent } from './eventStore.js';
import { toPortError } from './eventStoreDb/esdbErrors.js';
import { toEsdbExpectedRevision, toEsdbPosition, toRecordedEvent } from './eventStoreDb/esdbMapping.js';
import { subscribeToAllEsdb } from './eventStoreDb/esdbSubscription.js';
import { createUpcaster, defaultUpcasters, type Upcaster } from './upcasters.js';
import { validateAppend } from './validateAppend.js';

/**
 * The EventStoreDB adapter: a thin translation of the port onto @eventstore/db-client.
 * Revisions and commit positions are bigints there and numbers here; system events are hidden.
 * readAll filters client-side (ESDB reads have no filter); subscriptions filter server-side.
 */
export function createEventStoreDbEventStore(
  connectionString: string,
  options: { upcasters?: readonly Upcaster[] } = {},
): EventStore {
  const client = EventStoreDBClient.connectionString(connectionString);
  const upcast = createUpcaster(options.upcasters ?? defaultUpcasters);

  const withPortErrors = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw toPortError(error);
    }
  };

  return {
    kind: 'eventstoredb',

    async appendToStream(streamName, events, appendOptions) {
      const expected = appendOptions?.expectedRevision ?? 'any';
      validateAppend(streamName, events, expected);
      try {
        const result = await client.appendToStream(
          streamName,
          events.map(({ id, type, data, metadata }) =>
            jsonEvent({ id, type, data: data as JSONType, metadata }),
          ),
          { expectedRevision: toEsdbExpectedRevision(expected) },
        );
        return {
          nextExpectedRevision: Number(result.nextExpectedRevision),
          position: Number(result.position?.commit ?? -1),
        };
      } catch (error) {
        throw toPortError(error, streamName, expected);
      }
    },

    readStream: (streamName, readOptions = {}) =>
      withPortErrors(async () => {
        const backwards = readOptions.direction === 'backwards';
        const from = readOptions.fromRevision;
        const out: RecordedEvent[] = [];
        if (readOptions.maxCount === 0) return out;
        try {
          for await (const resolved of client.readStream(streamName, {
            direction: backwards ? BACKWARDS : FORWARDS,
            fromRevision: from === undefined ? (backwards ? END : START) : BigInt(from),
            ...(readOptions.maxCount === undefined ? {} : { maxCount: readOptions.maxCount }),
          })) {
            const event = toRecordedEvent(resolved);
            if (event !== undefined) out.push(upcast(event));
          }
        } catch (error) {
          if (error instanceof StreamNotFoundError) return [];
          throw error;
        }
        return out;
      }),

    readAll: (readOptions = {}) =>
      withPortErrors(async () => {
        const after = readOptions.afterPosition ?? 0;
        const maxCount = readOptions.maxCount ?? Number.POSITIVE_INFINITY;
        const out: RecordedEvent[] = [];
        if (maxCount <= 0) return out;
        for await (const resolved of client.readAll({
          direction: FORWARDS,
          fromPosition: after > 0 ? toEsdbPosition(after) : START,
        })) {
          const event = toRecordedEvent(resolved);
          if (event === undefined || event.position <= after) continue;
          if (!matchesFilter(event, readOptions.filter)) continue;
          out.push(upcast(event));
          if (out.length >= maxCount) break;
        }
        return out;
      }),

    subscribeToAll: (subscribeOptions) => subscribeToAllEsdb(client, subscribeOptions, upcast),

    headPosition: () =>
      withPortErrors(async () => {
        for await (const resolved of client.readAll({ direction: BACKWARDS, fromPosition: END })) {
          const event = toRecordedEvent(resolved);
          if (event !== undefined) return event.position;
        }
        return 0;
      }),

    setStreamMaxAge: (streamName, maxAgeSeconds) =>
      withPortErrors(async () => {
        await client.setStreamMetadata(streamName, { maxAge: maxAgeSeconds });
      }),

    ping: () =>
      withPortErrors(async () => {
        for await (const _ of client.readAll({ maxCount: 1 })) break;
      }),

    close: () => client.dispose(),
  };
}
