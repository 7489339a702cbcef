import { ConcurrencyError, StoreUnavailableError, type AppendResult, type ExpectedRevision } from '../eventStore.js';

/**
 * Messages between the main thread and the SQLite writer thread (writerWorker.ts). Everything
 * here crosses `postMessage`, i.e. the structured clone algorithm, which keeps neither class
 * identity nor an error's extra properties (`code`): errors travel as plain data and are
 * rebuilt on the main thread, where the store maps them as it always did (toStoreError).
 */

/**
 * An event of an append, already serialized (cheap to clone): its data and metadata JSON, or,
 * for a TokenIssued the main thread packed (rowCodec.ts, `packedTokenIssuedBody`), the stored
 * body's bytes as a latin1 string, which the writer stores as they are.
 */
export type WireRow = { id: string; type: string; data: string; metadata: string } | { id: string; type: string; body: string };

/** One append of a batch. */
export interface WireAppend {
  streamName: string;
  expectedRevision: ExpectedRevision;
  rows: WireRow[];
}

/**
 * An append batch as it crosses to the writer: one flat list instead of objects. The structured
 * clone copies strings and numbers in a list in about half the time it takes for the same values
 * in nested objects, on each thread (BENCHMARKS.md, "Tenth round"). Per append: its stream name,
 * expected revision and number of rows; per row: id, type, then either the packed body and
 * null, or the data and metadata JSON.
 */
export type WireBatch = Array<string | number | null>;

export function toWireBatch(appends: readonly WireAppend[]): WireBatch {
  const flat: WireBatch = [];
  for (const { streamName, expectedRevision, rows } of appends) {
    flat.push(streamName, expectedRevision, rows.length);
    for (const row of rows) {
      if ('body' in row) flat.push(row.id, row.type, row.body, null);
      else flat.push(row.id, row.type, row.data, row.metadata);
    }
  }
  return flat;
}

export function fromWireBatch(flat: WireBatch): WireAppend[] {
  const appends: WireAppend[] = [];
  let i = 0;
  while (i < flat.length) {
    const streamName = flat[i++] as string;
    const expectedRevision = flat[i++] as ExpectedRevision;
    const rows: WireRow[] = new Array(flat[i++] as number);
    for (let r = 0; r < rows.length; r += 1) {
      const id = flat[i++] as string;
      const type = flat[i++] as string;
      const first = flat[i++] as string;
      const second = flat[i++];
      rows[r] = second === null ? { id, type, body: first } : { id, type, data: first, metadata: second as string };
    }
    appends.push({ streamName, expectedRevision, rows });
  }
  return appends;
}

/**
 * The outcomes of a batch, flat like the batch: per append, its next expected revision and
 * position, or -1 and the index of its error in `errors`.
 */
export interface WireOutcomes {
  results: number[];
  errors: WireError[];
}

export function toWireOutcomes(outcomes: readonly WireOutcome[]): WireOutcomes {
  const results: number[] = [];
  const errors: WireError[] = [];
  for (const outcome of outcomes) {
    if (outcome.ok) results.push(outcome.result.nextExpectedRevision, outcome.result.position);
    else results.push(-1, errors.push(outcome.error) - 1);
  }
  return { results, errors };
}

export function fromWireOutcomes({ results, errors }: WireOutcomes): WireOutcome[] {
  const outcomes: WireOutcome[] = new Array(results.length / 2);
  for (let i = 0; i < outcomes.length; i += 1) {
    const revision = results[2 * i]!;
    const second = results[2 * i + 1]!;
    outcomes[i] = revision < 0 ? { ok: false, error: errors[second]! } : { ok: true, result: { nextExpectedRevision: revision, position: second } };
  }
  return outcomes;
}

export interface WriterConfig {
  file: string;
  busyTimeoutMs: number;
}

/** Requests and the value each one answers with. */
export interface WriterCalls {
  /** First message of a store: the file this thread writes from now on (opened on first use). */
  open: { request: WriterConfig; reply: null };
  /** One transaction for the whole batch; `recordedAt` comes from the store's clock (main thread). */
  append: { request: { batch: WireBatch; recordedAt: string }; reply: WireOutcomes };
  setStreamMaxAge: { request: { streamName: string; maxAgeSeconds: number }; reply: null };
  /** Deletes events older than their stream's max age at `now` (ISO); answers how many. */
  retention: { request: { now: string }; reply: number };
  /** Last message of a store: closes the writer's connection; the thread may serve another store. */
  close: { request: Record<string, never>; reply: null };
}

export type WriterCall = keyof WriterCalls;

export type WriterRequest = {
  [K in WriterCall]: { id: number; call: K } & WriterCalls[K]['request'];
}[WriterCall];

export type WriterReply =
  | { id: number; ok: true; value: WriterCalls[WriterCall]['reply'] }
  | { id: number; ok: false; error: WireError };

export type WireOutcome = { ok: true; result: AppendResult } | { ok: false; error: WireError };

export type WireError =
  | { kind: 'concurrency'; streamName: string; expected: ExpectedRevision; actual: number | 'no_stream' }
  | { kind: 'unavailable'; message: string }
  | { kind: 'other'; name: string; message: string; code?: string };

export function toWireError(error: unknown): WireError {
  if (error instanceof ConcurrencyError) {
    const { streamName, expected, actual } = error;
    return { kind: 'concurrency', streamName, expected, actual };
  }
  if (error instanceof StoreUnavailableError) return { kind: 'unavailable', message: error.message };
  const { name = 'Error', message = String(error), code } = (error ?? {}) as { name?: string; message?: string; code?: unknown };
  return { kind: 'other', name, message, ...(typeof code === 'string' ? { code } : {}) };
}

/** The error as the writer saw it: a driver error keeps its SQLite `code` for toStoreError. */
export function fromWireError(wire: WireError): Error {
  if (wire.kind === 'concurrency') return new ConcurrencyError(wire.streamName, wire.expected, wire.actual);
  if (wire.kind === 'unavailable') return new StoreUnavailableError(wire.message);
  const error = new Error(wire.message) as Error & { code?: string };
  error.name = wire.name;
  if (wire.code !== undefined) error.code = wire.code;
  return error;
}
