import pg from 'pg';
import type { SessionRecords } from './sessionRecords.js';

/**
 * Sessions in PostgreSQL, beside the events (table `console_sessions`, created by the event
 * store's migration 3): any node reads a session another node wrote. Records past their time
 * are never returned, and are deleted now and then as new ones are written.
 */
export function createPostgresSessionRecords(options: { connectionString: string; poolSize?: number }): SessionRecords {
  // Bounded waits: while the database is unreachable a console request answers 503 in seconds.
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 2, connectionTimeoutMillis: 5_000, query_timeout: 5_000 });
  pool.on('error', () => undefined); // an idle connection lost: the next query opens another
  let writes = 0;
  return {
    kind: 'postgres',
    async put(kind, key, value, expiresAt) {
      await pool.query(
        `INSERT INTO console_sessions (kind, key, value, expires_at) VALUES ($1, $2, $3, to_timestamp($4::double precision / 1000))
         ON CONFLICT (kind, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
        [kind, key, value, expiresAt],
      );
      // Now and then, rows past their time go; a failure here is not the write's.
      if (++writes % 64 === 0) await pool.query('DELETE FROM console_sessions WHERE expires_at <= now()').catch(() => undefined);
    },
    async replace(kind, key, value, expiresAt) {
      const { rowCount } = await pool.query(
        `UPDATE console_sessions SET value = $3, expires_at = to_timestamp($4::double precision / 1000)
         WHERE kind = $1 AND key = $2 AND expires_at > now()`,
        [kind, key, value, expiresAt],
      );
      return (rowCount ?? 0) > 0;
    },
    async get(kind, key) {
      const { rows } = await pool.query<{ value: string }>(
        'SELECT value FROM console_sessions WHERE kind = $1 AND key = $2 AND expires_at > now()',
        [kind, key],
      );
      return rows[0]?.value;
    },
    async delete(kind, key) {
      await pool.query('DELETE FROM console_sessions WHERE kind = $1 AND key = $2', [kind, key]);
    },
    close: () => pool.end(),
  };
}
