import { ConcurrencyError, type AppendResult, type ExpectedRevision } from '../eventStore.js';
import { isUnavailableSqliteError } from './sqliteErrors.js';
import { encodeEventId, encodeRecordedAt, wireRowBody } from './rowCodec.js';
import type { Statements } from './statements.js';
import type { WireAppend } from './writerProtocol.js';

/** An append waiting on the main thread for its batch to be committed by the writer thread. */
export interface PendingAppend extends WireAppend {
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

const matches = (expected: ExpectedRevision, actual: number | 'no_stream'): boolean => {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 'no_stream';
  if (expected === 'stream_exists') return actual !== 'no_stream';
  return expected === actual;
};

/**
 * Event type numbers known to be committed, per connection: a committed type row is never
 * changed or deleted, so it need not be looked up again. A type inserted by this batch joins
 * only once the batch has committed (a savepoint rolled back could have undone it).
 */
const committedTypes = new WeakMap<Statements, Map<string, number>>();

/**
 * Writes a batch in ONE transaction (one fsync at commit). Each append runs in its own
 * savepoint and is checked against the stream head as left by the appends before it in the
 * batch, so a conflict or a bad event rolls back only that append. An error of the file
 * itself (read-only, disk full, I/O) aborts the whole transaction and is thrown.
 *
 * A stream's head is read once per batch and written once, before the commit: most batches
 * are many TokenIssued appends to a few streams (BENCHMARKS.md, "Ninth round").
 */
export function writeBatch(
  statements: Statements,
  batch: readonly WireAppend[],
  recordedAt: string,
): AppendOutcome[] {
  const types = committedTypes.get(statements) ?? new Map<string, number>();
  committedTypes.set(statements, types);
  const insertedTypes = new Map<string, number>();
  // Looked up in the file (not kept) when inserted by this batch: a type inserted by an append
  // that is then rolled back (its savepoint) must not be referred to by the next.
  const typeId = (name: string): number => {
    const committed = types.get(name);
    if (committed !== undefined) return committed;
    const existing = statements.typeId.get(name);
    if (existing !== undefined) {
      if (!insertedTypes.has(name)) types.set(name, existing);
      return existing;
    }
    const inserted = statements.insertType.get(name)!;
    insertedTypes.set(name, inserted);
    return inserted;
  };
  // The heads as the appends so far in this batch left them, written back before the commit.
  const heads = new Map<string, { id: number; revision: number }>();
  const headOf = (streamName: string): { id: number; revision: number } | undefined =>
    heads.get(streamName) ?? statements.streamHead.get(streamName);
  const recordedAtMs = encodeRecordedAt(recordedAt);
  const write = (append: WireAppend): AppendResult => {
    const head = headOf(append.streamName);
    const actual = head === undefined || head.revision < 0 ? 'no_stream' : head.revision;
    if (!matches(append.expectedRevision, actual)) {
      throw new ConcurrencyError(append.streamName, append.expectedRevision, actual);
    }
    const streamId = head?.id ?? statements.insertStream.get(append.streamName)!.id;
    let revision = actual === 'no_stream' ? -1 : actual;
    let position = 0;
    for (const row of append.rows) {
      revision += 1;
      const info = statements.insertEvent.run(
        encodeEventId(row.id),
        streamId,
        revision,
        typeId(row.type),
        wireRowBody(row),
        recordedAtMs,
      );
      position = Number(info.lastInsertRowid);
    }
    // Only once every row is in: a failed append leaves the head as it was.
    heads.set(append.streamName, { id: streamId, revision });
    return { nextExpectedRevision: revision, position };
  };
  // A savepoint per append, so a failing append undoes only its own writes. An append of one
  // event needs none: its only statement that can fail without aborting the transaction is
  // the INSERT (a duplicate id), and SQLite undoes a failed statement by itself. A stream or
  // type row inserted before a failing INSERT stays, harmlessly: a stream at revision -1 reads
  // as no stream. Most appends are one TokenIssued: this saves two statements (SAVEPOINT,
  // RELEASE) on each.
  const inSavepoint = statements.db.transaction(write);
  const appendOne = (append: WireAppend): AppendResult => (append.rows.length === 1 ? write(append) : inSavepoint(append));

  const outcomes = statements.db
    .transaction(() => {
      const results = batch.map((append): AppendOutcome => {
        try {
          return { ok: true, result: appendOne(append) };
        } catch (error) {
          if (isUnavailableSqliteError(error)) throw error;
          return { ok: false, error };
        }
      });
      for (const { id, revision } of heads.values()) statements.setStreamRevision.run(revision, id);
      return results;
    })
    .immediate();
  for (const [name, id] of insertedTypes) types.set(name, id);
  return outcomes;
}
