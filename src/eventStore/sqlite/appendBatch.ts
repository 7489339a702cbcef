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
 *
 * Inside the transaction this connection holds the write lock, so the heads and type numbers
 * it has seen cannot change under it: each stream's head is read once per batch and written
 * once, after the last append that moved it (a batch of tokens mostly hits a few streams), and
 * each event type is looked up once. An append adds to these only once it has succeeded, so a
 * rolled-back append (its savepoint) leaves nothing of its own behind in them.
 */
export function writeBatch(
  statements: Statements,
  batch: readonly WireAppend[],
  recordedAt: string,
): AppendOutcome[] {
  const recordedAtMs = encodeRecordedAt(recordedAt);
  // The heads this batch has moved so far (written back once, before the commit).
  const heads = new Map<string, { id: number; revision: number }>();
  const types = new Map<string, number>();
  const write = (append: WireAppend): AppendResult => {
    const head = heads.get(append.streamName) ?? statements.streamHead.get(append.streamName);
    const actual = head === undefined || head.revision < 0 ? 'no_stream' : head.revision;
    if (!matches(append.expectedRevision, actual)) {
      throw new ConcurrencyError(append.streamName, append.expectedRevision, actual);
    }
    const streamId = head?.id ?? statements.insertStream.get(append.streamName)!.id;
    // A type this append inserts is remembered only if the append succeeds.
    let newTypes: Map<string, number> | undefined;
    const typeId = (name: string): number => {
      const known = types.get(name) ?? newTypes?.get(name);
      if (known !== undefined) return known;
      const id = statements.typeId.get(name) ?? statements.insertType.get(name)!;
      (newTypes ??= new Map()).set(name, id);
      return id;
    };
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
    if (newTypes !== undefined) for (const [name, id] of newTypes) types.set(name, id);
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

  return statements.db
    .transaction(() => {
      const outcomes = batch.map((append): AppendOutcome => {
        try {
          return { ok: true, result: appendOne(append) };
        } catch (error) {
          if (isUnavailableSqliteError(error)) throw error;
          return { ok: false, error };
        }
      });
      for (const head of heads.values()) statements.setStreamRevision.run(head.revision, head.id);
      return outcomes;
    })
    .immediate();
}
