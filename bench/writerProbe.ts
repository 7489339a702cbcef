/**
 * `npx tsx bench/writerProbe.ts [label]`
 *
 * CPU per TokenIssued append of each of the SQLite store's threads (from /proc, per thread):
 * 50 concurrent appenders write compact TokenIssued events, as the token endpoint does, to 4
 * streams; 3,000 appends of warm-up, then 30,000 timed. The writer thread is the busiest one
 * after `main`. For comparing two builds of the store's write path (BENCHMARKS.md, "Ninth
 * round"): run it alternately in two checkouts.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenIssued } from '../src/domain/tokens/tokenEvents.js';
import type { EventMetadata } from '../src/eventStore/eventStore.js';
import { toEventMetadata } from '../src/eventStore/eventMetadata.js';
import { createSqliteEventStore } from '../src/eventStore/sqliteEventStore.js';
import { compactTokenIssued } from '../src/eventStore/upcasters/tokenIssuedCompact.js';
import { clientMetadata } from '../src/tokens/requestInfo.js';

const label = process.argv[2] ?? 'writer';
const TIMED = 30_000;
const APPENDERS = 50;

/** CPU seconds (user + system) of each thread of this process, by thread id. */
const cpuByThread = (): Map<string, number> =>
  new Map(
    readdirSync('/proc/self/task').map((tid) => {
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return [tid, (Number(fields[11]) + Number(fields[12])) / 100] as const;
    }),
  );

const applications = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const tokenIssued = (applicationId: string) => {
  const data: TokenIssued['data'] = {
    jti: randomUUID(),
    applicationId,
    clientId: 'abcdefghijklmnopqrstuvwxyz012345',
    grant: 'client_credentials',
    sub: randomUUID(),
    aud: ['https://api.example.com/api'],
    scope: 'read write',
    exp: Math.floor(Date.now() / 1000) + 3600,
  };
  const request = { correlationId: randomUUID(), ip: '127.0.0.1', userAgent: 'autocannon' };
  const compact = compactTokenIssued(data, toEventMetadata('TokenIssued', clientMetadata(data, request, new Date())));
  return { id: randomUUID(), type: 'TokenIssued', data: compact.data, metadata: compact.metadata as unknown as EventMetadata };
};

const dir = await mkdtemp(join(tmpdir(), 'tollgate-writer-probe-'));
const store = createSqliteEventStore({ file: join(dir, 'events.sqlite') });
try {
  const append = async (count: number): Promise<void> => {
    let started = 0;
    await Promise.all(
      Array.from({ length: APPENDERS }, async () => {
        while (started < count) {
          const applicationId = applications[started++ % applications.length]!;
          await store.appendToStream(`oauthTokens-${applicationId}`, [tokenIssued(applicationId)], { expectedRevision: 'any' });
        }
      }),
    );
  };
  await append(3_000);
  const before = cpuByThread();
  const t0 = performance.now();
  await append(TIMED);
  const seconds = (performance.now() - t0) / 1000;
  const perThread = [...cpuByThread()]
    .map(([tid, cpu]) => ({ name: tid === String(process.pid) ? 'main' : `thread ${tid}`, us: ((cpu - (before.get(tid) ?? 0)) * 1e6) / TIMED }))
    .filter((t) => t.us >= 0.5)
    .sort((a, b) => b.us - a.us);
  console.log(`${label}: ${(TIMED / seconds).toFixed(0)} appends/s; CPU µs per append: ${perThread.map((t) => `${t.name} ${t.us.toFixed(1)}`).join(', ')}`);
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
