import type { Statement } from 'better-sqlite3';
import type { EventFilter, RecordedEvent } from '../eventStore.js';
import type { SqliteDatabase } from './openDatabase.js';

export interface EventRow {
  position: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  id: row.id,
  type: row.type,
  data: JSON.parse(row.data) as unknown,
  metadata: JSON.parse(row.metadata) as RecordedEvent['metadata'],
  streamName: row.stream,
  revision: row.revision,
  position: row.position,
  recordedAt: row.recorded_at,
});

/** `SELECT *` as an array (better-sqlite3 raw mode): cheaper to build than a keyed row. */
export type RawEventRow = [number, string, string, number, string, string, string, string];

export const rawToRecordedEvent = (row: RawEventRow): RecordedEvent => ({
  id: row[1],
  type: row[4],
  data: JSON.parse(row[5]) as unknown,
  metadata: JSON.parse(row[6]) as RecordedEvent['metadata'],
  streamName: row[2],
  revision: row[3],
  position: row[0],
  recordedAt: row[7],
});

/** The prepared statements of one connection. */
export function prepareStatements(db: SqliteDatabase) {
  const readAllCache = new Map<string, Statement<unknown[], RawEventRow>>();
  return {
    db,
    streamRevision: db.prepare<[string], number>('SELECT revision FROM streams WHERE stream = ?').pluck(),
    insertEvent: db.prepare<[string, string, number, string, string, string, string]>(
      `INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    setStreamRevision: db.prepare<[string, number]>(
      `INSERT INTO streams (stream, revision) VALUES (?, ?)
       ON CONFLICT (stream) DO UPDATE SET revision = excluded.revision`,
    ),
    setStreamMaxAge: db.prepare<[string, number]>(
      `INSERT INTO streams (stream, revision, max_age) VALUES (?, -1, ?)
       ON CONFLICT (stream) DO UPDATE SET max_age = excluded.max_age`,
    ),
    streamsWithMaxAge: db.prepare<[], { stream: string; max_age: number }>(
      'SELECT stream, max_age FROM streams WHERE max_age IS NOT NULL',
    ),
    deleteRecordedBefore: db.prepare<[string, string]>(
      'DELETE FROM events WHERE stream = ? AND recorded_at < ?',
    ),
    readForwards: db.prepare<[string, number, number], EventRow>(
      'SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?',
    ),
    readBackwards: db.prepare<[string, number, number], EventRow>(
      'SELECT * FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?',
    ),
    headPosition: db.prepare<[], number | null>('SELECT max(position) FROM events').pluck(),
    /** Events after a position in position order, filtered in SQL (prefix ranges, event types). */
    readAll(afterPosition: number, limit: number, filter: EventFilter = {}): RawEventRow[] {
      const prefixes = filter.streamPrefixes ?? [];
      const types = filter.eventTypes ?? [];
      const key = `${prefixes.length}/${types.length}`;
      let statement = readAllCache.get(key);
      if (statement === undefined) {
        const where = ['position > ?'];
        if (prefixes.length > 0)
          // `+stream` keeps the planner off the stream index: walking positions in order from
          // the cursor is linear, while a stream-index range would collect and sort every
          // matching event of the whole log on every page (and every live wake-up).
          where.push(`(${prefixes.map(() => '(+stream >= ? AND +stream < ?)').join(' OR ')})`);
        if (types.length > 0) where.push(`type IN (${types.map(() => '?').join(', ')})`);
        statement = db
          .prepare<unknown[], RawEventRow>(`SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`)
          .raw(true);
        readAllCache.set(key, statement);
      }
      const ranges = prefixes.flatMap((prefix) => [prefix, `${prefix}\u{10FFFF}`]);
      return statement.all(afterPosition, ...ranges, ...types, limit);
    },
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
