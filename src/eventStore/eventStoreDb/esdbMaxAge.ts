/**
 * Stream max age on EventStoreDB: written as `$maxAge` in the stream's metadata (the `$$stream`
 * metastream) by read-modify-write — every other metadata key kept, appended with the
 * metastream's expected revision so a concurrent writer is not overwritten — and honoured on
 * reads of `$all`, which (unlike reads of the stream) keep returning aged-out events until a
 * scavenge removes them.
 *
 * The driver's `getStreamMetadata` is not used: it reports the metadata event's commit
 * position as `metastreamRevision` (6.2.1), which is no revision, and its key conversion
 * drops nothing but rewrites names; here the metadata JSON is kept verbatim.
 */
import {
  BACKWARDS,
  END,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type EventStoreDBClient,
  type JSONType,
} from '@eventstore/db-client';
import { ConcurrencyError, type RecordedEvent } from '../eventStore.js';
import { validateMaxAge } from '../validateAppend.js';
import { drainRead } from './esdbReads.js';

/** True when an event recorded at `recordedAt` is older than `maxAgeSeconds` at `now`. */
export const isAgedOut = (recordedAt: string, maxAgeSeconds: number | undefined, now: Date): boolean =>
  maxAgeSeconds !== undefined && Date.parse(recordedAt) < now.getTime() - maxAgeSeconds * 1000;

interface StreamMetadata {
  /** The metadata JSON as stored (`$maxAge`, `$maxCount`, `$acl`, custom keys…). */
  data: Record<string, unknown>;
  /** Revision of the metastream's last event; undefined when it has none. */
  revision: bigint | undefined;
}

const metastreamOf = (streamName: string): string => `$$${streamName}`;

async function readStreamMetadata(client: EventStoreDBClient, streamName: string): Promise<StreamMetadata> {
  let found: StreamMetadata = { data: {}, revision: undefined };
  try {
    await drainRead(
      client.readStream(metastreamOf(streamName), { direction: BACKWARDS, fromRevision: END, maxCount: 1 }),
      (resolved) => {
        const event = resolved.event;
        if (event === undefined) return;
        const data = event.isJson && typeof event.data === 'object' && event.data !== null && !Array.isArray(event.data)
          ? (event.data as Record<string, unknown>)
          : {};
        found = { data, revision: event.revision };
      },
    );
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return found;
}

const maxAgeOf = (metadata: StreamMetadata): number | undefined => {
  const value = metadata.data['$maxAge'];
  return typeof value === 'number' && value > 0 ? value : undefined;
};

const WRITE_ATTEMPTS = 4;

/** Sets `$maxAge`, keeping the rest of the metadata; retries a concurrent metadata write. */
export async function writeStreamMaxAge(
  client: EventStoreDBClient,
  streamName: string,
  maxAgeSeconds: number,
): Promise<void> {
  validateMaxAge(streamName, maxAgeSeconds);
  for (let attempt = 1; ; attempt += 1) {
    const current = await readStreamMetadata(client, streamName);
    if (maxAgeOf(current) === maxAgeSeconds) return;
    try {
      await client.appendToStream(
        metastreamOf(streamName),
        jsonEvent({ type: '$metadata', data: { ...current.data, $maxAge: maxAgeSeconds } as JSONType }),
        { expectedRevision: current.revision ?? NO_STREAM },
      );
      return;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      if (attempt >= WRITE_ATTEMPTS) {
        throw new ConcurrencyError(metastreamOf(streamName), Number(current.revision ?? -1), 'no_stream');
      }
    }
  }
}

export interface MaxAges {
  /** Events of `$all` reads that are older than their stream's max age are dropped. */
  dropAgedOut(events: RecordedEvent[]): Promise<RecordedEvent[]>;
  isAgedOut(event: RecordedEvent): Promise<boolean>;
  /** Called after this process set a max age (so its own reads see it at once). */
  remember(streamName: string, maxAgeSeconds: number): void;
}

export interface MaxAgesOptions {
  now?: () => Date;
  /** How long a stream's max age is trusted before it is read again (another node may set it). */
  ttlMs?: number;
  /** Streams whose max age is kept in memory at most. */
  maxStreams?: number;
  /**
   * Only streams with these prefixes can have a max age, so only their events cost a metadata
   * lookup; default: every stream.
   */
  streamPrefixes?: readonly string[];
}

/** Metadata reads in flight at most for one page of events. */
const LOOKUP_CONCURRENCY = 16;

/**
 * Each stream's max age, read from its metadata once per `ttlMs` and kept for at most
 * `maxStreams` streams.
 */
export function createMaxAges(client: EventStoreDBClient, options: MaxAgesOptions = {}): MaxAges {
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? 60_000;
  const maxStreams = options.maxStreams ?? 10_000;
  const prefixes = options.streamPrefixes;
  const canHaveMaxAge = (streamName: string): boolean =>
    prefixes === undefined || prefixes.some((prefix) => streamName.startsWith(prefix));
  const known = new Map<string, { maxAge: number | undefined; until: number }>();
  const loading = new Map<string, Promise<number | undefined>>();

  const store = (streamName: string, maxAge: number | undefined): void => {
    known.delete(streamName);
    if (known.size >= maxStreams) known.delete(known.keys().next().value!);
    known.set(streamName, { maxAge, until: now().getTime() + ttlMs });
  };

  const lookup = (streamName: string): Promise<number | undefined> => {
    if (!canHaveMaxAge(streamName)) return Promise.resolve(undefined);
    const entry = known.get(streamName);
    if (entry !== undefined && entry.until > now().getTime()) return Promise.resolve(entry.maxAge);
    let pending = loading.get(streamName);
    if (pending === undefined) {
      pending = readStreamMetadata(client, streamName)
        .then((metadata) => {
          const maxAge = maxAgeOf(metadata);
          store(streamName, maxAge);
          return maxAge;
        })
        .finally(() => loading.delete(streamName));
      loading.set(streamName, pending);
    }
    return pending;
  };

  const agedOut = async (event: RecordedEvent): Promise<boolean> =>
    isAgedOut(event.recordedAt, await lookup(event.streamName), now());

  return {
    isAgedOut: agedOut,
    async dropAgedOut(events) {
      const streams = [...new Set(events.map((e) => e.streamName))].filter(canHaveMaxAge);
      const ages = new Map<string, number | undefined>();
      for (let i = 0; i < streams.length; i += LOOKUP_CONCURRENCY) {
        const chunk = streams.slice(i, i + LOOKUP_CONCURRENCY);
        for (const [stream, age] of await Promise.all(chunk.map(async (s) => [s, await lookup(s)] as const))) ages.set(stream, age);
      }
      const at = now();
      return events.filter((e) => !isAgedOut(e.recordedAt, ages.get(e.streamName), at));
    },
    remember: (streamName, maxAgeSeconds) => store(streamName, maxAgeSeconds),
  };
}
