/**
 * `npm run bench:postgres-store`: appends/s of the PostgreSQL event store with 1 and 64
 * concurrent appenders (each its own stream, one event per append, with its expected
 * revision), group commit on (concurrent appends share one `tollgate_append` call and one
 * commit) and off (one call per append, as many at once as the pool has connections), on a
 * database of its own (BENCH_POSTGRES_URL: the server's maintenance database). Every append
 * is committed when acknowledged (the server's own synchronous_commit). BENCH_SECONDS: run
 * duration; BENCH_ROUNDS: interleaved rounds, compared by medians.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createPostgresEventStore } from '../src/eventStore/postgres/postgresEventStore.js';
import { createBenchDatabase } from './lib/postgresBenchDatabase.js';
import { median } from './lib/report.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 2);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const database = await createBenchDatabase();

interface Sample {
  appendsPerSecond: number;
  mainThreadBusy: number;
}

async function run(groupCommit: boolean, appenders: number, round: number): Promise<Sample> {
  const store = await createPostgresEventStore({ connectionString: database.url, groupCommit, poolSize: 8, retentionIntervalMs: 0 });
  const deadline = performance.now() + seconds * 1000;
  let appended = 0;
  const appender = async (stream: string): Promise<void> => {
    for (let revision = 0; performance.now() < deadline; revision += 1) {
      const id = randomUUID();
      await store.appendToStream(
        stream,
        [{ id, type: 'TokenIssued', data: { jti: id }, metadata: { actor: 'bench', occurredAt: new Date().toISOString(), correlationId: id } }],
        { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 },
      );
      appended += 1;
    }
  };
  const started = performance.now();
  const loopBefore = performance.eventLoopUtilization();
  await Promise.all(Array.from({ length: appenders }, (_, i) => appender(`bench-${groupCommit}-${appenders}-${round}-${i}`)));
  const mainThreadBusy = performance.eventLoopUtilization(loopBefore).utilization;
  const elapsed = (performance.now() - started) / 1000;
  await store.close();
  return { appendsPerSecond: appended / elapsed, mainThreadBusy };
}

const configs = [false, true].flatMap((groupCommit) => [1, 64].map((appenders) => ({ groupCommit, appenders })));
const samples = new Map(configs.map((c) => [c, [] as Sample[]]));
try {
  for (let round = 0; round < rounds; round += 1) {
    for (const config of configs) samples.get(config)!.push(await run(config.groupCommit, config.appenders, round));
  }
} finally {
  await database.drop();
}
const medianOf = (groupCommit: boolean, appenders: number, of: keyof Sample = 'appendsPerSecond') =>
  median(samples.get(configs.find((c) => c.groupCommit === groupCommit && c.appenders === appenders)!)!.map((s) => s[of]));

console.log(`PostgreSQL event store, ${rounds} rounds x ${seconds}s per configuration, pool of 8`);
console.table(
  configs.map((c) => ({
    'group commit': c.groupCommit ? 'on' : 'off',
    appenders: c.appenders,
    'appends/s (median)': Math.round(medianOf(c.groupCommit, c.appenders)),
    'per round': samples.get(c)!.map((s) => Math.round(s.appendsPerSecond)).join(' '),
    'main thread busy (median)': `${Math.round(100 * medianOf(c.groupCommit, c.appenders, 'mainThreadBusy'))}%`,
  })),
);
console.log(`group commit on / off (64 appenders): ${(medianOf(true, 64) / medianOf(false, 64)).toFixed(1)}x`);
