import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A throw-away database for a benchmark run on BENCH_POSTGRES_URL (a server's maintenance
 * database; default the local one, postgres://postgres@127.0.0.1:5432/postgres).
 */
export interface BenchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

const ADMIN_URL = process.env['BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `tollgate_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  try {
    await admin(`CREATE DATABASE ${name}`);
  } catch (error) {
    console.error(`PostgreSQL at ${new URL(ADMIN_URL).host} is not usable (${error instanceof Error ? error.message : String(error)}); set BENCH_POSTGRES_URL`);
    process.exit(2);
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
