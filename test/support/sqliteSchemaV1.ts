/**
 * The first release's SQLite event store schema (version 1) and the statements it wrote with,
 * kept as they were, so tests can make the files that release left on disk and check that
 * opening them upgrades them (src/eventStore/sqlite/migrateSchema.ts).
 */
import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../src/eventStore/eventStore.js';

export const SCHEMA_V1_DDL = `
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
PRAGMA user_version = 1;
`;

export interface V1Event {
  id: string;
  stream: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recordedAt: string;
}

/** A version 1 file as the first release wrote it: WAL, one transaction per `pages` events. */
export function writeSchemaV1File(file: string, events: readonly V1Event[], maxAges: Record<string, number> = {}): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA_V1_DDL);
  const head = db.prepare<[string], number>('SELECT revision FROM streams WHERE stream = ?').pluck();
  const insert = db.prepare(
    'INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const setRevision = db.prepare(
    'INSERT INTO streams (stream, revision) VALUES (?, ?) ON CONFLICT (stream) DO UPDATE SET revision = excluded.revision',
  );
  const setMaxAge = db.prepare(
    'INSERT INTO streams (stream, revision, max_age) VALUES (?, -1, ?) ON CONFLICT (stream) DO UPDATE SET max_age = excluded.max_age',
  );
  db.transaction(() => {
    for (const [stream, maxAge] of Object.entries(maxAges)) setMaxAge.run(stream, maxAge);
    for (const event of events) {
      const revision = (head.get(event.stream) ?? -1) + 1;
      insert.run(event.id, event.stream, revision, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), event.recordedAt);
      setRevision.run(event.stream, revision);
    }
  })();
  db.close();
}

/** Deletes events as the first release's retention did (the stream heads stay). */
export function deleteFromSchemaV1File(file: string, positions: readonly number[]): void {
  const db = new Database(file);
  const remove = db.prepare('DELETE FROM events WHERE position = ?');
  db.transaction(() => positions.forEach((position) => remove.run(position)))();
  db.close();
}

/** Every event of a version 1 file, read with the first release's statements (not upcast). */
export function readSchemaV1File(file: string): RecordedEvent[] {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT * FROM events ORDER BY position').all() as Array<{
    position: number; id: string; stream: string; revision: number; type: string; data: string; metadata: string; recorded_at: string;
  }>;
  db.close();
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as RecordedEvent['metadata'],
    streamName: row.stream,
    revision: row.revision,
    position: row.position,
    recordedAt: row.recorded_at,
  }));
}

export const userVersionOf = (file: string): number => {
  const db = new Database(file, { readonly: true });
  try {
    return Number(db.pragma('user_version', { simple: true }));
  } finally {
    db.close();
  }
};
