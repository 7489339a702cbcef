import type Database from 'better-sqlite3';
import { encodeBody, encodeEventId, encodeRecordedAt } from './rowCodec.js';
import { SCHEMA_DDL, SCHEMA_VERSION } from './schema.js';

type SqliteDatabase = Database.Database;

export interface MigrationOptions {
  /** Told after each page of events copied (how many so far): progress, and a hook for crash tests. */
  onMigrationProgress?: (copied: number) => void;
}

/** Events copied per page: the migration never holds more than one page of rows in memory. */
const PAGE = 1000;

type V1Row = [number, string, string, number, string, string, string, string];

/**
 * Upgrades a schema version 1 file (the first release) to version 2 (schema.ts) in place, in
 * ONE transaction: a crash at any point leaves the file as it was (SQLite rolls the WAL back),
 * and the next open starts again. `user_version` changes in the same transaction. Events keep
 * their positions, revisions, ids, types, data, metadata and recorded times; the global
 * position counter (AUTOINCREMENT) carries over, so positions freed by retention stay unused.
 * Rows are copied a page at a time, so a large file is never held in memory (the WAL grows
 * by about the new table's size until the next checkpoint).
 *
 * Returns true if it upgraded the file; false if another connection had done it already.
 */
export function migrateSchemaV1(db: SqliteDatabase, options: MigrationOptions = {}): boolean {
  return db
    .transaction((): boolean => {
      if (Number(db.pragma('user_version', { simple: true })) >= SCHEMA_VERSION) return false;
      db.exec(`
        ALTER TABLE events RENAME TO events_v1;
        ALTER TABLE streams RENAME TO streams_v1;
        DROP INDEX IF EXISTS events_by_type;
      `);
      db.exec(SCHEMA_DDL);
      db.exec(`
        INSERT INTO streams (name, revision, max_age) SELECT stream, revision, max_age FROM streams_v1 ORDER BY stream;
        INSERT OR IGNORE INTO streams (name, revision) SELECT stream, max(revision) FROM events_v1 GROUP BY stream;
        INSERT INTO event_types (name) SELECT DISTINCT type FROM events_v1 ORDER BY type;
      `);
      const page = db
        .prepare<[number, number], V1Row>(
          'SELECT position, id, stream, revision, type, data, metadata, recorded_at FROM events_v1 WHERE position > ? ORDER BY position LIMIT ?',
        )
        .raw(true);
      const insert = db.prepare<[number, Buffer | string, string, number, string, Buffer | string, number]>(
        `INSERT INTO events (position, id, stream, revision, type, body, recorded_at)
         VALUES (?, ?, (SELECT id FROM streams WHERE name = ?), ?, (SELECT id FROM event_types WHERE name = ?), ?, ?)`,
      );
      let after = 0;
      let copied = 0;
      for (;;) {
        const rows = page.all(after, PAGE);
        for (const [position, id, stream, revision, type, data, metadata, recordedAt] of rows) {
          insert.run(position, encodeEventId(id), stream, revision, type, encodeBody(data, metadata), encodeRecordedAt(recordedAt));
        }
        copied += rows.length;
        if (rows.length > 0) options.onMigrationProgress?.(copied);
        if (rows.length < PAGE) break;
        after = rows.at(-1)![0];
      }
      db.exec(`
        INSERT INTO sqlite_sequence (name, seq)
          SELECT 'events', max(seq) FROM sqlite_sequence WHERE name IN ('events', 'events_v1') HAVING max(seq) IS NOT NULL;
        DELETE FROM sqlite_sequence
          WHERE name = 'events' AND rowid <> (SELECT max(rowid) FROM sqlite_sequence WHERE name = 'events');
        DROP TABLE events_v1;
        DROP TABLE streams_v1;
        PRAGMA user_version = ${SCHEMA_VERSION};
      `);
      return true;
    })
    .immediate();
}
