import { ConcurrencyError, type AppendResult, type ExpectedRevision } from '../eventStore.js';
import { isUnavailableSqliteError } from './sqliteErrors.js';
import { encodeBody, encodeEventId, encodeRecordedAt } from './rowCodec.js';
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
 * Writes a batch in ONE transaction (one fsync at commit). Each append runs in its own
 * savepoint and is checked against the stream head as left by the appends before it in the
 * batch, so a conflict or a bad event rolls back only that append. An error of the file
 * itself (read-only, disk full, I/O) aborts the whole transaction and is thrown.
 */
export function writeBatch(
  statements: Statements,
  batch: readonly WireAppend[],
  recordedAt: string,
): AppendOutcome[] {
  // Looked up each time, not cached: a type inserted by an append that is then rolled back
  // (its savepoint) must not be referred to by the next.
  const typeId = (name: string): number => statements.typeId.get(name) ?? statements.insertType.get(name)!;
  const recordedAtMs = encodeRecordedAt(recordedAt);
  const write = (append: WireAppend): AppendResult => {
    const head = statements.streamHead.get(append.streamName);
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
        encodeBody(row.data, row.metadata),
        recordedAtMs,
      );
      position = Number(info.lastInsertRowid);
    }
    statements.setStreamRevision.run(revision, streamId);
    return { nextExpectedRevision: revision, position };
  };
  // A savepoint per append, so a failing append undoes only its own writes. An append of one
  // event needs none: its only statement that can fail without aborting the transaction is
  // the INSERT (a duplicate id), and SQLite undoes a failed statement by itself; the stream
  // head is updated after it (no constraint to break). A stream or type row inserted before
  // a failing INSERT stays, harmlessly: a stream at revision -1 reads as no stream. Most appends are one
  // TokenIssued: this saves two statements (SAVEPOINT, RELEASE) on each.
  const inSavepoint = statements.db.transaction(write);
  const appendOne = (append: WireAppend): AppendResult => (append.rows.length === 1 ? write(append) : inSavepoint(append));

  return statements.db
    .transaction(() =>
      batch.map((append): AppendOutcome => {
        try {
          return { ok: true, result: appendOne(append) };
        } catch (error) {
          if (isUnavailableSqliteError(error)) throw error;
          return { ok: false, error };
        }
      }),
    )
    .immediate();
}
