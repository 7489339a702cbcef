/**
 * The event store port. Every adapter (SQLite, EventStoreDB, PostgreSQL) implements this interface and
 * passes the same contract suite (test/contract/eventStore.contract.ts).
 *
 * Positions are global, strictly increasing numbers greater than 0 (SQLite: the row id;
 * EventStoreDB: the commit position, a byte offset in the log, which fits in a double for any
 * realistic log size; PostgreSQL: a sequence value taken in transaction-id order). Revisions are 0-based per stream.
 *
 * Position rules every adapter and every caller follows:
 * - A position is opaque: only values the store handed out (an event's `position`, an append's
 *   `position`, `headPosition()`, a subscription's `position`) or 0 ("before the first event")
 *   are positions. Never compute one (`p - 1`, `p + 1`): on EventStoreDB that is not a
 *   position and the server refuses to read from it. Compare positions, don't do arithmetic
 *   with them (a difference is only a measure, e.g. lag).
 * - Reads and subscriptions start *after* a position, exclusive: `afterPosition: P` yields
 *   exactly the events with `position > P`. A checkpoint is therefore the position of the last
 *   event handled (or the head), and resuming from it neither repeats nor skips an event.
 * - Gaps are allowed (EventStoreDB: byte offsets; SQLite: rows removed by retention), so
 *   callers never assume `P + 1` is the next event.
 */

/** Metadata carried by every event: who, when, from where, and why. */
export interface EventMetadata {
  actor: string;
  /** Absent on events written before the second release. */
  actorKind?: 'user' | 'client' | 'system';
  /** The client id the request came through, or `console`; absent for the system. */
  via?: string;
  occurredAt: string; // ISO-8601
  correlationId: string;
  causationId?: string;
  ip?: string;
  userAgent?: string;
  /** Schema version of `data`; absent means 1. Read by upcasters. */
  schemaVersion?: number;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  /** A UUID chosen by the writer; it is also the idempotency key downstream (job ids). */
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
  streamName: string;
  revision: number;
  position: number;
  /** When the store recorded it (ISO-8601). */
  recordedAt: string;
}

/** `no_stream`: the stream must not exist; `stream_exists`: it must; `any`: no check. */
export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

export const NO_STREAM = 'no_stream' as const;
export const STREAM_EXISTS = 'stream_exists' as const;
export const ANY = 'any' as const;

export interface AppendResult {
  /** Revision of the last event written (the next expected revision). */
  nextExpectedRevision: number;
  /** Global position of the last event written. */
  position: number;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive start revision (forwards: lowest, backwards: highest). */
  fromRevision?: number;
  maxCount?: number;
}

export interface EventFilter {
  /** Keep events whose stream name starts with one of these prefixes. */
  streamPrefixes?: string[];
  /** Keep events whose type is one of these. */
  eventTypes?: string[];
}

export interface ReadAllOptions {
  /**
   * Exclusive: events strictly after this position (0 or a position the store handed out).
   * Default: from the beginning. The filter is applied by the store, so a read for rare
   * events transfers only those (EventStoreDB: a server-side filter).
   */
  afterPosition?: number;
  maxCount?: number;
  filter?: EventFilter;
}

export interface SubscribeOptions {
  /** Exclusive: deliver events strictly after this position (a checkpoint). */
  afterPosition?: number;
  filter?: EventFilter;
  /** Called in order, one at a time; the next event waits for the returned promise. */
  onEvent: (event: RecordedEvent) => void | Promise<void>;
  /**
   * Called once, when catch-up is complete and the subscription is live: only after every event
   * committed before that moment (and matching the filter) has been handed to `onEvent` and its
   * promise has settled. `position` is the subscription's position then.
   */
  onCaughtUp?: (position: number) => void;
  /**
   * Called when the subscription stops because of an error (handler or store); the consumer
   * resubscribes from its position. A subscription the store ends without an error is not
   * an error: the adapter resubscribes by itself (with backoff) and never stops silently.
   */
  onError?: (error: Error) => void;
}

export interface Subscription {
  /** Position of the last event handed to onEvent (or the start position). */
  readonly position: number;
  stop(): Promise<void>;
}

export interface EventStore {
  readonly kind: 'sqlite' | 'eventstoredb' | 'postgres';
  appendToStream(
    streamName: string,
    events: NewEvent[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;
  /** Events of one stream; an unknown stream reads as an empty array. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options: SubscribeOptions): Subscription;
  /** Position of the newest event in the store (0 when empty). */
  headPosition(): Promise<number>;
  /**
   * Retention for a stream (maxAgeSeconds: a positive integer, else a TypeError): events older
   * than maxAgeSeconds are removed by the store (EventStoreDB: `$maxAge` stream metadata, other
   * metadata kept, and aged-out events hidden from reads of all before a scavenge removes
   * them; SQLite: truncation done by `enforceRetention`).
   */
  setStreamMaxAge(streamName: string, maxAgeSeconds: number): Promise<void>;
  /** Checks the store is reachable (readiness). */
  ping(): Promise<void>;
  /** Flushes pending appends and releases resources. */
  close(): Promise<void>;
}

/** The expected revision did not match the stream's actual revision. */
export class ConcurrencyError extends Error {
  readonly code = 'CONCURRENCY_CONFLICT' as const;
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamName}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'ConcurrencyError';
  }
}

/** The store cannot take writes now (read-only file, disk full, server unreachable). */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

export const isConcurrencyError = (e: unknown): e is ConcurrencyError =>
  e instanceof ConcurrencyError;
