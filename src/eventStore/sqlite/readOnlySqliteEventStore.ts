import Database from 'better-sqlite3';
import { StoreUnavailableError, type EventStore } from '../eventStore.js';
import { createUpcaster, defaultUpcasters, type Upcaster } from '../upcasters.js';
import { SCHEMA_VERSION } from './schema.js';
import { createSqliteReads } from './sqliteReads.js';
import { toStoreError } from './sqliteErrors.js';
import { prepareStatements } from './statements.js';

export interface ReadOnlySqliteOptions {
  /** An existing store file, opened and upgraded by its SqliteEventStore (this connection never writes). */
  file: string;
  /** Page cache of this connection (KiB): keep it small, the OS caches the file anyway. */
  cacheSizeKib: number;
  busyTimeoutMs?: number;
  upcasters?: readonly Upcaster[];
}

/**
 * A read-only connection to a SQLite store file, with the same row decoding and upcasters as
 * the store (sqliteReads.ts): for a thread that only reads (the audit reader thread). WAL lets
 * it read while the writer thread writes. Writes and subscriptions are refused.
 */
export function openReadOnlySqliteEventStore(options: ReadOnlySqliteOptions): EventStore {
  const { file } = options;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: options.busyTimeoutMs ?? 5000 });
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version !== SCHEMA_VERSION) throw new StoreUnavailableError(`Event store open failed: schema version ${version}, expected ${SCHEMA_VERSION}`);
    db.pragma(`cache_size = -${Math.max(64, Math.floor(options.cacheSizeKib))}`);
  } catch (error) {
    db?.close();
    throw toStoreError(error, file, 'open');
  }
  const connection = db;
  const reads = createSqliteReads(prepareStatements(connection), createUpcaster(options.upcasters ?? defaultUpcasters));
  let closed = false;
  const read = <T>(fn: () => T): Promise<T> => {
    if (closed) return Promise.reject(new StoreUnavailableError(`Event store ${file} is closed`));
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(toStoreError(error, file, 'read'));
    }
  };
  const readOnly = (): Promise<never> => Promise.reject(new StoreUnavailableError('This event store connection is read-only'));
  return {
    kind: 'sqlite',
    appendToStream: readOnly,
    setStreamMaxAge: readOnly,
    subscribeToAll() {
      throw new StoreUnavailableError('This event store connection does not subscribe');
    },
    readStream: (streamName, readOptions) => read(() => reads.readStream(streamName, readOptions)),
    readAll: (readOptions = {}) => read(() => reads.readAll(readOptions.afterPosition ?? 0, readOptions.maxCount ?? -1, readOptions.filter)),
    headPosition: () => read(reads.headPosition),
    ping: () => read(() => void connection.prepare('SELECT 1').get()),
    async close() {
      if (closed) return;
      closed = true;
      connection.close();
    },
  };
}
