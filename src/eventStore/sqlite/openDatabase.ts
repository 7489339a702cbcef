import Database from 'better-sqlite3';
import { migrateSchemaV1, type MigrationOptions } from './migrateSchema.js';
import { SCHEMA_DDL, SCHEMA_VERSION } from './schema.js';
import { StoreUnavailableError } from '../eventStore.js';
import { toStoreError } from './sqliteErrors.js';

export type SqliteDatabase = Database.Database;

/**
 * Opens (or creates) the event store file. The first statement is a read, so a corrupt file or
 * one locked by another process fails here, with a message naming the file, before anything is
 * written. A read-only file opens for reading; writes then fail as StoreUnavailableError.
 * A file of an older schema is upgraded here (migrateSchema.ts); a file of a newer one is
 * refused rather than misread.
 */
export function openDatabase(file: string, busyTimeoutMs: number, options: MigrationOptions = {}): SqliteDatabase {
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(file, { timeout: busyTimeoutMs });
    const hasSchema =
      db
        .prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('events', 'streams')")
        .pluck()
        .get() === 2;
    // Before any write (journal_mode included): a newer file is left exactly as it is.
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > SCHEMA_VERSION) {
      throw new StoreUnavailableError(
        `Event store open failed: the SQLite file ${file} has schema version ${version}, newer than this version of Tollgate reads (${SCHEMA_VERSION})`,
      );
    }
    setPragma(db, 'journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // Savepoints (one per append in a batch) journal in memory; a larger WAL between
    // checkpoints copies a page rewritten by many batches once instead of many times.
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -32000');
    db.pragma('wal_autocheckpoint = 8000');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!hasSchema) createSchema(db);
    else if (version < SCHEMA_VERSION) migrateSchemaV1(db, options);
    return db;
  } catch (error) {
    db?.close();
    throw toStoreError(error, file, 'open');
  }
}

/** A new file gets the current schema (unless another connection created it meanwhile). */
function createSchema(db: SqliteDatabase): void {
  db.transaction(() => {
    const created = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'events'").pluck().get() === 1;
    if (!created) db.exec(`${SCHEMA_DDL}\nPRAGMA user_version = ${SCHEMA_VERSION};`);
  }).immediate();
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
