import type { ClientBase } from 'pg';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

/** Advisory lock key held while migrating: nodes starting together migrate one after another. */
export const MIGRATION_LOCK_KEY = 746_101_000;

/**
 * Brings the schema up to date: under a session advisory lock, creates `schema_migrations`
 * when missing and applies each migration not recorded there, each in its own transaction
 * with its record. A node that waited for the lock finds the work done and applies nothing.
 * Returns the versions this call applied.
 */
export async function migrate(client: ClientBase, migrations: readonly Migration[] = allMigrations): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      done.push(migration.version);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
  }
}
