import { StoreUnavailableError } from '../eventStore.js';

/**
 * SQLite result codes that mean "the store cannot take this write now": a read-only file, a
 * full disk, an I/O error, a file that cannot be opened, or another process holding the lock.
 * Extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED, …) share the primary prefix.
 */
const UNAVAILABLE_PRIMARY_CODES = [
  'SQLITE_READONLY',
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT',
  'SQLITE_PERM',
  'SQLITE_PROTOCOL',
] as const;

/** Codes after which the connection is reopened before the next write (its mode is fixed at open). */
const REOPEN_PRIMARY_CODES = ['SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_PERM'];

const sqliteCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
};

const hasPrimary = (code: string, primaries: readonly string[]): boolean =>
  primaries.some((primary) => code === primary || code.startsWith(`${primary}_`));

export const isUnavailableSqliteError = (error: unknown): boolean => {
  const code = sqliteCode(error);
  return code !== undefined && hasPrimary(code, UNAVAILABLE_PRIMARY_CODES);
};

export const needsReopen = (error: unknown): boolean => {
  const code = sqliteCode(error);
  return code !== undefined && hasPrimary(code, REOPEN_PRIMARY_CODES);
};

const describe = (code: string): string => {
  if (hasPrimary(code, ['SQLITE_READONLY', 'SQLITE_PERM']))
    return 'is read-only (check the permissions of it and of its -wal and -shm files)';
  if (hasPrimary(code, ['SQLITE_FULL'])) return 'cannot grow: the disk is full';
  if (hasPrimary(code, ['SQLITE_BUSY', 'SQLITE_LOCKED'])) return 'is locked by another process';
  if (hasPrimary(code, ['SQLITE_NOTADB', 'SQLITE_CORRUPT']))
    return 'is not a valid SQLite database (corrupt or foreign file)';
  if (hasPrimary(code, ['SQLITE_CANTOPEN'])) return 'cannot be opened';
  return 'had an I/O error';
};

/** The store's own error for a driver error, naming the file; other errors pass through. */
export function toStoreError(error: unknown, file: string, action: string): unknown {
  const code = sqliteCode(error);
  if (code === undefined || !hasPrimary(code, UNAVAILABLE_PRIMARY_CODES)) return error;
  return new StoreUnavailableError(
    `Event store ${action} failed: the SQLite file ${file} ${describe(code)} (${code})`,
    { cause: error },
  );
}
