import type { QueryConfig } from 'pg';
import type { EventFilter } from '../eventStore.js';
import { EVENT_COLUMNS } from './pgRows.js';

/**
 * The read statements. Reads of all events see only rows below the snapshot's xmin — rows
 * of writers that have finished — so a page never passes a writer still in flight; the head
 * is taken in the same statement (same snapshot), which lets a filtered subscription move
 * its cursor past non-matching events up to it. `xmin` is returned so the store can wait
 * until its own last commit is visible (read-your-writes). Statements are prepared per
 * filter shape, so the planner sees the conditions that are really there.
 */
export function readAllQuery(afterPosition: number, maxCount: number | null, filter: EventFilter = {}): QueryConfig {
  const prefixes = filter.streamPrefixes ?? [];
  const types = filter.eventTypes ?? [];
  const where = ['e.position > $1', 'e.transaction_id < snapshot.xmin'];
  const values: unknown[] = [afterPosition, maxCount];
  if (prefixes.length > 0) {
    values.push(prefixes);
    where.push(`EXISTS (SELECT 1 FROM unnest($${values.length}::text[]) AS p(prefix) WHERE starts_with(e.stream, p.prefix))`);
  }
  if (types.length > 0) {
    values.push(types);
    where.push(`e.type = ANY($${values.length}::text[])`);
  }
  return {
    name: `tollgate-read-all-${prefixes.length > 0 ? 'p' : ''}${types.length > 0 ? 't' : ''}`,
    text: `
      WITH snapshot AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
      head AS (
        SELECT coalesce(max(e.position), 0) AS head FROM events e, snapshot WHERE e.transaction_id < snapshot.xmin
      ),
      page AS (
        SELECT ${EVENT_COLUMNS} FROM events e, snapshot
        WHERE ${where.join(' AND ')}
        ORDER BY e.position LIMIT $2
      )
      SELECT snapshot.xmin::text AS xmin, head.head, page.*
      FROM snapshot CROSS JOIN head LEFT JOIN page ON true
      ORDER BY page.position`,
    values,
  };
}

export const readStreamQuery = (streamName: string, backwards: boolean, fromRevision: number, maxCount: number | null): QueryConfig => ({
  name: backwards ? 'tollgate-read-stream-backwards' : 'tollgate-read-stream-forwards',
  text: backwards
    ? `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.stream = $1 AND e.revision <= $2 ORDER BY e.revision DESC LIMIT $3`
    : `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.stream = $1 AND e.revision >= $2 ORDER BY e.revision LIMIT $3`,
  values: [streamName, fromRevision, maxCount],
});

export const setStreamMaxAgeQuery = (streamName: string, maxAgeSeconds: number): QueryConfig => ({
  text: `INSERT INTO streams (stream, revision, max_age_seconds) VALUES ($1, -1, $2)
         ON CONFLICT (stream) DO UPDATE SET max_age_seconds = excluded.max_age_seconds`,
  values: [streamName, maxAgeSeconds],
});

/** Deletes events older than their stream's max age; the stream heads (revisions) stay. */
export const retentionQuery = (now: Date): QueryConfig => ({
  text: `DELETE FROM events e USING streams s
         WHERE s.max_age_seconds IS NOT NULL AND e.stream = s.stream
           AND e.recorded_at < $1::timestamptz - make_interval(secs => s.max_age_seconds)`,
  values: [now.toISOString()],
});
