import type { EventFilter, ReadStreamOptions, RecordedEvent } from '../eventStore.js';
import type { UpcastFn } from '../upcasters.js';
import { rawToRecordedEvent, type Statements } from './statements.js';

/**
 * The reads of one SQLite connection, rows decoded (rowCodec.ts) and upcast: what the store's
 * own connection (sqliteEventStore.ts) and a read-only connection of another thread
 * (readOnlySqliteEventStore.ts) both answer with. Synchronous, as better-sqlite3 is.
 */
export function createSqliteReads(statements: Statements, upcast: UpcastFn) {
  return {
    readStream(streamName: string, options: ReadStreamOptions = {}): RecordedEvent[] {
      const backwards = options.direction === 'backwards';
      const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
      const limit = options.maxCount ?? -1;
      return (backwards ? statements.readBackwards : statements.readForwards)
        .all(streamName, from, limit)
        .map((row) => upcast(rawToRecordedEvent(row)));
    },
    readAll(afterPosition: number, maxCount: number, filter?: EventFilter): RecordedEvent[] {
      return statements.readAll(afterPosition, maxCount, filter).map((row) => upcast(rawToRecordedEvent(row)));
    },
    headPosition: (): number => statements.headPosition.get() ?? 0,
  };
}

export type SqliteReads = ReturnType<typeof createSqliteReads>;
