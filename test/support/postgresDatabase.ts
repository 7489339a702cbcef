import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A database of its own for a test run on the local PostgreSQL (127.0.0.1:5432, trust auth,
 * user postgres, or POSTGRES_TEST_URL pointing at a server's maintenance database):
 * `tollgate_test_<pid>_<random>`, created here and dropped by `drop()` (WITH FORCE: a killed
 * node may have left connections). `null` when PostgreSQL does not answer: callers skip with
 * `postgresUnavailableReason`.
 */
export interface PostgresDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

const ADMIN_URL = process.env.POSTGRES_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const postgresUnavailableReason = `PostgreSQL does not answer at ${new URL(ADMIN_URL).host}: skipping the PostgreSQL suites`;

/**
 * Connects to the maintenance database. The timeout is generous: it runs on this process's
 * event loop, so on a loaded machine it can fire before the server's answer is read, and a
 * suite whose database cannot be created fails in its `before` hook (once, in a full run
 * beside other test processes; the server logged no error). Refused connections (no server)
 * still fail at once, so the PostgreSQL suites are skipped as quickly as before.
 */
async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 15_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

let reachable: Promise<boolean> | undefined;
export const postgresAnswers = (): Promise<boolean> =>
  (reachable ??= withAdmin(async (client) => void (await client.query('SELECT 1'))).then(
    () => true,
    () => false,
  ));

export async function createPostgresDatabase(): Promise<PostgresDatabase | null> {
  if (!(await postgresAnswers())) return null;
  const name = `tollgate_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withAdmin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

/**
 * Mocha hooks for a suite on a database of its own: created before the suite, dropped
 * after; the suite is skipped (with the reason printed) when PostgreSQL does not answer.
 */
export function usePostgresDatabase(): () => PostgresDatabase {
  let database: PostgresDatabase | null = null;
  before(async function () {
    database = await createPostgresDatabase();
    if (database === null) {
      console.log(`      ${postgresUnavailableReason}`);
      this.skip();
    }
  });
  after(async () => database?.drop());
  return () => {
    if (database === null) throw new Error('no PostgreSQL database');
    return database;
  };
}
