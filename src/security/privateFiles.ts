import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Data files hold the whole registry (hashes, emails, audit trail): they are created for
 * their owner only — directories 0700, files 0600 — and a store found readable by others is
 * reported at start (not fixed behind the operator's back, and not fatal).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** mkdir -p with mode 0700 for every directory it creates (existing ones are left as they are). */
export const ensurePrivateDir = (dir: string): void => void mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });

/**
 * Creates `file` empty with mode 0600 if it does not exist. SQLite gives its -wal and -shm
 * files the mode of the database file, so creating the database first makes all three private.
 */
export function ensurePrivateFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch {
    // It exists (EEXIST), or it cannot be created here: opening it then fails with the
    // store's own message naming the file, which is the error to show.
  }
}

const modeOf = (path: string): number | undefined => {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return undefined;
  }
};

/** One warning per existing path among DATA_DIR and its store files that group or others may access. */
export function exposedDataWarnings(dataDir: string, names: readonly string[] = ['events.sqlite', 'events.sqlite-wal', 'events.sqlite-shm']): string[] {
  const warnings: string[] = [];
  for (const path of [dataDir, ...names.map((name) => join(dataDir, name))]) {
    const mode = modeOf(path);
    if (mode !== undefined && (mode & 0o077) !== 0) {
      const wanted = path === dataDir ? '700' : '600';
      warnings.push(`${path} is accessible by other users (mode ${mode.toString(8).padStart(3, '0')}); run chmod ${wanted} ${path}`);
    }
  }
  return warnings;
}
