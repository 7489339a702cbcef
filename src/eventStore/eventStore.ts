/**
 * The event store port. Every adapter (SQLite, EventStoreDB) implements this interface and
 * passes the same contract suite (test/contract/eventStore.contract.ts).
 *
 * Positions are global, strictly increasing numbers (SQLite: the row id; EventStoreDB: the
 * commit position, which fits in a double for any realistic log size). Revisions are 0-based
 * per stream.
 */

/** Metadata carried by every event: who, when, from where, and why. */
export interface EventMetadata {
  actor: string;
  actorKind?: 'user' | 'client' | 'system';
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
  /** Exclusive: events strictly after this position. Default: from the beginning. */
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
  /** Called once catch-up is complete and the subscription is live. */
  onCaughtUp?: (position: number) => void;
  /** Called when the subscription stops because of an error (handler or store). */
  onError?: (error: Error) => void;
}

export interface Subscription {
  /** Position of the last event handed to onEvent (or the start position). */
  readonly position: number;
  stop(): Promise<void>;
}

export interface EventStore {
  readonly kind: 'sqlite' | 'eventstoredb';
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
   * Retention for a stream: events older than maxAgeSeconds may be removed by the store
   * (EventStoreDB: `$maxAge` stream metadata; SQLite: truncation done by `enforceRetention`).
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
