import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  excludeSystemEvents,
  jsonEvent,
  type JSONType,
} from '@eventstore/db-client';
import { matchesFilter } from './eventFilter.js';
import type { EventStore, RecordedEvent, Subscription } from './eventStore.js';
import { toPortError } from './eventStoreDb/esdbErrors.js';
import { toEsdbExpectedRevision, toEsdbFilter, toEsdbPosition, toRecordedEvent } from './eventStoreDb/esdbMapping.js';
import { createMaxAges, writeStreamMaxAge } from './eventStoreDb/esdbMaxAge.js';
import { drainRead, readAllFiltered } from './eventStoreDb/esdbReads.js';
import { subscribeToAllEsdb, type EsdbSubscriptionDeps } from './eventStoreDb/esdbSubscription.js';
import { createUpcaster, defaultUpcasters, type Upcaster } from './upcasters.js';
import { validateAppend, validateMaxAge } from './validateAppend.js';

export interface EventStoreDbOptions {
  upcasters?: readonly Upcaster[];
  /** Clock for max-age checks on reads of all (default: the system clock). */
  now?: () => Date;
  /** Streams that can have a max age (only their events are checked on reads of all); default: all. */
  maxAgeStreamPrefixes?: readonly string[];
  /** Backoff when the server ends a subscription without an error (default 100 ms … 5 s). */
  resubscribeDelayMs?: EsdbSubscriptionDeps['resubscribeDelayMs'];
}

/** Largest page of one read of $all: every read is bounded, a longer result takes more pages. */
const READ_PAGE = 1000;

/**
 * The EventStoreDB adapter: a thin translation of the port onto @eventstore/db-client.
 * Revisions and commit positions are bigints there and numbers here; system events are hidden.
 * Every read is bounded on the server and read to its end (esdbReads.ts), so no gRPC call is
 * left open and `close()` resolves; reads of all filter on the server; subscriptions resubscribe
 * when the server ends them cleanly (esdbSubscription.ts); `$maxAge` is written by
 * read-modify-write and honoured on reads of all (esdbMaxAge.ts).
 */
export function createEventStoreDbEventStore(connectionString: string, options: EventStoreDbOptions = {}): EventStore {
  const client = EventStoreDBClient.connectionString(connectionString);
  const upcast = createUpcaster(options.upcasters ?? defaultUpcasters);
  const maxAges = createMaxAges(client, {
    ...(options.now ? { now: options.now } : {}),
    ...(options.maxAgeStreamPrefixes ? { streamPrefixes: options.maxAgeStreamPrefixes } : {}),
  });
  const subscriptions = new Set<Subscription>();

  const withPortErrors = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw toPortError(error);
    }
  };

  /** One server read of $all after `after` (inclusive on the server, so `after` itself is skipped). */
  const readPage = async (after: number, limit: number, readOptions: Parameters<EventStore['readAll']>[0]) => {
    const events: RecordedEvent[] = [];
    const maxCount = limit + (after > 0 ? 1 : 0);
    let received = 0;
    let last = after;
    await drainRead(
      readAllFiltered(client, {
        direction: FORWARDS,
        fromPosition: after > 0 ? toEsdbPosition(after) : START,
        maxCount,
        filter: toEsdbFilter(readOptions?.filter),
      }),
      (resolved) => {
        received += 1;
        const event = toRecordedEvent(resolved);
        if (event === undefined || event.position <= after) return;
        last = event.position;
        if (matchesFilter(event, readOptions?.filter)) events.push(event);
      },
    );
    return { events, last, complete: received < maxCount };
  };

  /** The newest non-system event's position: one event, read backwards from the end. */
  const headPosition = (): Promise<number> =>
    withPortErrors(async () => {
      let head = 0;
      await drainRead(
        readAllFiltered(client, { direction: BACKWARDS, fromPosition: END, maxCount: 1, filter: excludeSystemEvents() }),
        (resolved) => {
          const event = toRecordedEvent(resolved);
          if (event !== undefined && event.position > head) head = event.position;
        },
      );
      return head;
    });

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
        // A server that reports no position: the head, a real position at or after the append's.
        const position = result.position === undefined ? await headPosition() : Number(result.position.commit);
        return { nextExpectedRevision: Number(result.nextExpectedRevision), position };
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
          await drainRead(
            client.readStream(streamName, {
              direction: backwards ? BACKWARDS : FORWARDS,
              fromRevision: from === undefined ? (backwards ? END : START) : BigInt(from),
              ...(readOptions.maxCount === undefined ? {} : { maxCount: readOptions.maxCount }),
            }),
            (resolved) => {
              const event = toRecordedEvent(resolved);
              if (event !== undefined) out.push(upcast(event));
            },
          );
        } catch (error) {
          if (error instanceof StreamNotFoundError) return [];
          throw error;
        }
        return out;
      }),

    readAll: (readOptions = {}) =>
      withPortErrors(async () => {
        const maxCount = readOptions.maxCount ?? Number.POSITIVE_INFINITY;
        const out: RecordedEvent[] = [];
        let after = readOptions.afterPosition ?? 0;
        while (out.length < maxCount) {
          const wanted = maxCount - out.length;
          const page = await readPage(after, Math.min(wanted, READ_PAGE), readOptions);
          for (const event of await maxAges.dropAgedOut(page.events)) {
            if (out.length < maxCount) out.push(upcast(event));
          }
          if (page.complete) break;
          after = page.last;
        }
        return out;
      }),

    subscribeToAll(subscribeOptions) {
      const subscription = subscribeToAllEsdb(
        client,
        {
          ...subscribeOptions,
          onError: (error) => {
            subscriptions.delete(subscription);
            subscribeOptions.onError?.(error);
          },
        },
        {
          upcast,
          isAgedOut: (event) => maxAges.isAgedOut(event),
          ...(options.resubscribeDelayMs ? { resubscribeDelayMs: options.resubscribeDelayMs } : {}),
        },
      );
      subscriptions.add(subscription);
      return {
        get position() {
          return subscription.position;
        },
        async stop() {
          subscriptions.delete(subscription);
          await subscription.stop();
        },
      };
    },

    headPosition,

    setStreamMaxAge: (streamName, maxAgeSeconds) => {
      try {
        validateMaxAge(streamName, maxAgeSeconds);
      } catch (error) {
        return Promise.reject(error);
      }
      return withPortErrors(async () => {
        await writeStreamMaxAge(client, streamName, maxAgeSeconds);
        maxAges.remember(streamName, maxAgeSeconds);
      });
    },

    ping: () =>
      withPortErrors(async () => {
        await drainRead(client.readAll({ direction: FORWARDS, fromPosition: START, maxCount: 1 }), () => undefined);
      }),

    async close() {
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      subscriptions.clear();
      await client.dispose();
    },
  };
}
