import Database from 'better-sqlite3';
import { toStoreError } from './sqliteErrors.js';

export type SqliteDatabase = Database.Database;

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  id          TEXT    NOT NULL UNIQUE,
  stream      TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  UNIQUE (stream, revision)
);
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
-- Head revision per stream (kept after retention deletes old events) and its retention.
CREATE TABLE IF NOT EXISTS streams (
  stream   TEXT    PRIMARY KEY,
  revision INTEGER NOT NULL,
  max_age  INTEGER
) WITHOUT ROWID;
PRAGMA user_version = ${SCHEMA_VERSION};
`;

/**
 * Opens (or creates) the event store file. The first statement is a read, so a corrupt file or
 * one locked by another process fails here, with a message naming the file, before anything is
 * written. A read-only file opens for reading; writes then fail as StoreUnavailableError.
 */
export function openDatabase(file: string, busyTimeoutMs: number): SqliteDatabase {
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(file, { timeout: busyTimeoutMs });
    const hasSchema =
      db
        .prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('events', 'streams')")
        .pluck()
        .get() === 2;
    setPragma(db, 'journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // Savepoints (one per append in a batch) journal in memory; a larger WAL between
    // checkpoints copies a page rewritten by many batches once instead of many times.
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -32000');
    db.pragma('wal_autocheckpoint = 8000');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!hasSchema) db.transaction(() => db!.exec(SCHEMA)).immediate();
    return db;
  } catch (error) {
    db?.close();
    throw toStoreError(error, file, 'open');
  }
}

/** journal_mode is stored in the file; on a read-only file the existing mode is kept. */
function setPragma(db: SqliteDatabase, pragma: string): void {
  try {
    db.pragma(pragma);
  } catch (error) {
    const code = String((error as { code?: unknown }).code);
    if (!code.startsWith('SQLITE_READONLY')) throw error;
  }
}
