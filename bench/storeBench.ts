/**
 * `npm run bench:store`: appends/s of the SQLite event store with 1 and 64 concurrent
 * appenders (each its own stream, one event per append, with its expected revision), with
 * group commit on and off, on a real disk (os.tmpdir(), or BENCH_DIR). Every append is durable
 * (WAL, synchronous=FULL) when acknowledged. BENCH_SECONDS: duration of a run; BENCH_ROUNDS: rounds.
 * Also reports how busy the main thread's event loop was (event-loop utilization): the share
 * of its time the store takes from request handling (commits run on a writer thread).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSqliteEventStore } from '../src/eventStore/sqliteEventStore.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 2);
const baseDir = process.env['BENCH_DIR'] ?? tmpdir();

interface Sample {
  appendsPerSecond: number;
  mainThreadBusy: number;
}

async function run(groupCommit: boolean, appenders: number): Promise<Sample> {
  const dir = await mkdtemp(join(baseDir, 'tollgate-bench-'));
  const store = createSqliteEventStore({ file: join(dir, 'events.sqlite'), groupCommit });
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
  await Promise.all(Array.from({ length: appenders }, (_, i) => appender(`bench-${i}`)));
  const mainThreadBusy = performance.eventLoopUtilization(loopBefore).utilization;
  const elapsed = (performance.now() - started) / 1000;
  await store.close();
  await rm(dir, { recursive: true, force: true });
  return { appendsPerSecond: appended / elapsed, mainThreadBusy };
}

// The disk is shared with whatever else runs, so configurations are interleaved over several
// rounds and compared by their medians: the ratio is measured under the same conditions.
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const configs = [false, true].flatMap((groupCommit) => [1, 64].map((appenders) => ({ groupCommit, appenders })));
const samples = new Map(configs.map((c) => [c, [] as Sample[]]));
for (let round = 0; round < rounds; round += 1) {
  for (const config of configs) samples.get(config)!.push(await run(config.groupCommit, config.appenders));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const medianOf = (groupCommit: boolean, appenders: number, of: keyof Sample = 'appendsPerSecond') =>
  median(samples.get(configs.find((c) => c.groupCommit === groupCommit && c.appenders === appenders)!)!.map((s) => s[of]));

console.log(`SQLite event store, WAL + synchronous=FULL, ${rounds} rounds x ${seconds}s per configuration, in ${baseDir}`);
console.table(
  configs.map((c) => ({
    'group commit': c.groupCommit ? 'on' : 'off',
    appenders: c.appenders,
    'appends/s (median)': Math.round(medianOf(c.groupCommit, c.appenders)),
    'per round': samples.get(c)!.map((s) => Math.round(s.appendsPerSecond)).join(' '),
    'main thread busy (median)': `${Math.round(100 * medianOf(c.groupCommit, c.appenders, 'mainThreadBusy'))}%`,
  })),
);
const ratio = medianOf(true, 64) / medianOf(false, 64);
console.log(`group commit (64 appenders) / no group commit (64 appenders): ${ratio.toFixed(1)}x (target >= 20x)`);
