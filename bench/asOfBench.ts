/**
 * `npm run bench:asof -- [--applications 100000]`
 *
 * The cost of `GET /admin/oauth-applications?asOf=`: N applications (each created, a third
 * renamed, a fifth rotated, a tenth deleted) written straight into a SQLite store, then the
 * registry computed as of the middle of that history and as of now, in this process, with
 * the grid's default query. Reports the time per computation, the longest event-loop stall
 * while it runs (it reads in chunks and yields between them) and the memory it holds.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { registryPageAsOf } from '../src/audit/registryAsOf.js';
import { toApplicationStreamName } from '../src/domain/shared/streamNames.js';
import type { NewEvent } from '../src/eventStore/eventStore.js';
import { createSqliteEventStore } from '../src/eventStore/sqliteEventStore.js';
import { gridQuery } from '../projections/gridQuery.js';

const { values } = parseArgs({ options: { applications: { type: 'string', default: '100000' } } });
const count = Number(values.applications);
if (!Number.isInteger(count) || count < 1) throw new Error('--applications must be a whole number >= 1');

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const dir = await mkdtemp(join(tmpdir(), 'tollgate-asof-'));
const store = createSqliteEventStore({ file: join(dir, 'events.sqlite'), retentionIntervalMs: 0 });
try {
  const start = Date.now() - 30 * 24 * 3600 * 1000;
  const step = (30 * 24 * 3600 * 1000) / count;
  const event = (type: string, data: unknown, at: number): NewEvent => ({
    id: randomUUID(),
    type,
    data,
    metadata: { actor: 'user-admin', occurredAt: new Date(at).toISOString(), correlationId: randomUUID() },
  });
  let events = 0;
  const seeding = Date.now();
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = randomUUID();
    const at = start + i * step;
    const stream: NewEvent[] = [
      event('ApplicationCreated', { applicationId: id, clientId: randomUUID(), secretHash: 'sha256$s$h', name: `app ${i}`, organizationId: `org-${i % 10}`, ownerUserId: 'user-admin', active: true, grants: ['client_credentials'], frontend: false, allApis: true, apis: [], scopes: [], applicationUrl: null, description: null }, at),
    ];
    if (i % 3 === 0) stream.push(event('ApplicationUpdated', { applicationId: id, changes: { name: { from: `app ${i}`, to: `renamed ${i}` } } }, at + step / 4));
    if (i % 5 === 0) stream.push(event('ApplicationSecretRotated', { applicationId: id, secretHash: 'sha256$t$i', previousSecretValidUntil: new Date(at + step).toISOString() }, at + step / 3));
    if (i % 10 === 0) stream.push(event('ApplicationDeleted', { applicationId: id }, at + step / 2));
    events += stream.length;
    inFlight.push(store.appendToStream(toApplicationStreamName(id), stream, { expectedRevision: 'no_stream' }));
    if (inFlight.length >= 500) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  console.log(`seeded ${count} applications (${events} events) in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);

  const query = gridQuery({ perPage: '25' }, { organizationIds: null });
  for (const [label, moment] of [['middle of the history', new Date(start + (count / 2) * step)], ['now', new Date()]] as const) {
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const delay = monitorEventLoopDelay({ resolution: 1 });
    let peakHeap = heapBefore;
    const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 5);
    delay.enable();
    const began = performance.now();
    const page = await registryPageAsOf(store, moment, query);
    const ms = performance.now() - began;
    delay.disable();
    clearInterval(sampler);
    console.log(
      `as of ${label}: ${page.total} applications listed, ${ms.toFixed(0)} ms, longest event-loop stall ${(delay.max / 1e6).toFixed(1)} ms, ` +
        `heap held while computing ≈ ${mb(peakHeap - heapBefore)} MB`,
    );
  }
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
