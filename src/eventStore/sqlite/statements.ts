import type { Statement } from 'better-sqlite3';
import type { EventFilter, RecordedEvent } from '../eventStore.js';
import type { SqliteDatabase } from './openDatabase.js';
import { decodeBody, decodeEventId, decodeRecordedAt } from './rowCodec.js';

/**
 * An event row as read (schema.ts), with its stream and type names joined in:
 * position, id, stream name, revision, type name, body, recorded_at (better-sqlite3 raw mode:
 * an array is cheaper to build than a keyed row).
 */
export type RawEventRow = [number, Buffer | string, string, number, string, Buffer | string, number];

export const rawToRecordedEvent = (row: RawEventRow): RecordedEvent => {
  const { data, metadata } = decodeBody(row[5]);
  return {
    id: decodeEventId(row[1]),
    type: row[4],
    data: JSON.parse(data) as unknown,
    metadata: JSON.parse(metadata) as RecordedEvent['metadata'],
    streamName: row[2],
    revision: row[3],
    position: row[0],
    recordedAt: decodeRecordedAt(row[6]),
  };
};

// CROSS JOIN keeps `events` the outer loop: reads walk events in position (or revision) order
// and look each stream and type up by its number.
const SELECT_EVENTS = `SELECT e.position, e.id, s.name, e.revision, t.name, e.body, e.recorded_at
  FROM events e CROSS JOIN streams s ON s.id = e.stream CROSS JOIN event_types t ON t.id = e.type`;

/** The prepared statements of one connection. */
export function prepareStatements(db: SqliteDatabase) {
  const readAllCache = new Map<string, Statement<unknown[], RawEventRow>>();
  const stream = (where: string, order: string) =>
    db
      .prepare<[string, number, number], RawEventRow>(
        `${SELECT_EVENTS} WHERE e.stream = (SELECT id FROM streams WHERE name = ?) AND ${where} ORDER BY e.revision ${order} LIMIT ?`,
      )
      .raw(true);
  return {
    db,
    /** The stream's number and head revision (-1: known, but no event yet). */
    streamHead: db.prepare<[string], { id: number; revision: number }>('SELECT id, revision FROM streams WHERE name = ?'),
    insertStream: db.prepare<[string], { id: number }>('INSERT INTO streams (name, revision) VALUES (?, -1) RETURNING id'),
    setStreamRevision: db.prepare<[number, number]>('UPDATE streams SET revision = ? WHERE id = ?'),
    typeId: db.prepare<[string], number>('SELECT id FROM event_types WHERE name = ?').pluck(),
    insertType: db.prepare<[string], number>('INSERT INTO event_types (name) VALUES (?) RETURNING id').pluck(),
    insertEvent: db.prepare<[Buffer | string, number, number, number, Buffer | string, number]>(
      `INSERT INTO events (id, stream, revision, type, body, recorded_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    setStreamMaxAge: db.prepare<[string, number]>(
      `INSERT INTO streams (name, revision, max_age) VALUES (?, -1, ?)
       ON CONFLICT (name) DO UPDATE SET max_age = excluded.max_age`,
    ),
    streamsWithMaxAge: db.prepare<[], { id: number; max_age: number }>(
      'SELECT id, max_age FROM streams WHERE max_age IS NOT NULL',
    ),
    deleteRecordedBefore: db.prepare<[number, number]>('DELETE FROM events WHERE stream = ? AND recorded_at < ?'),
    readForwards: stream('e.revision >= ?', 'ASC'),
    readBackwards: stream('e.revision <= ?', 'DESC'),
    headPosition: db.prepare<[], number | null>('SELECT max(position) FROM events').pluck(),
    /** Events after a position in position order, filtered in SQL (prefix ranges, event types). */
    readAll(afterPosition: number, limit: number, filter: EventFilter = {}): RawEventRow[] {
      const prefixes = filter.streamPrefixes ?? [];
      const types = filter.eventTypes ?? [];
      const key = `${prefixes.length}/${types.length}`;
      let statement = readAllCache.get(key);
      if (statement === undefined) {
        const where = ['e.position > ?'];
        // Walking positions in order from the cursor is linear; the stream-name conditions are
        // checked on each event's joined stream, not used to pick streams first (which would
        // collect and sort every matching event of the whole log on every page).
        if (prefixes.length > 0) where.push(`(${prefixes.map(() => '(s.name >= ? AND s.name < ?)').join(' OR ')})`);
        if (types.length > 0)
          where.push(`e.type IN (SELECT id FROM event_types WHERE name IN (${types.map(() => '?').join(', ')}))`);
        statement = db
          .prepare<unknown[], RawEventRow>(`${SELECT_EVENTS} WHERE ${where.join(' AND ')} ORDER BY e.position LIMIT ?`)
          .raw(true);
        readAllCache.set(key, statement);
      }
      const ranges = prefixes.flatMap((prefix) => [prefix, `${prefix}\u{10FFFF}`]);
      return statement.all(afterPosition, ...ranges, ...types, limit);
    },
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
