/**
 * `npm run bench:grid` — the applications grid over 100,000 applications (in-memory read
 * model). Measures:
 *  1. projection throughput applying generated events straight through the handlers;
 *  2. a real rebuild: the same events appended to a SQLite store in a temp dir, then
 *     `ProjectionRunner.rebuild()` (subscription catch-up + projections);
 *  3. p50/p95/p99 of a mix of filtered + sorted + paged grid queries, and of queries that
 *     follow a single write (the incremental index path).
 * Targets (issue 4): rebuild ≥ 50,000 events/s, grid p99 < 20 ms. APPS=… overrides the size.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInMemoryReadModel } from '../projections/inMemory/inMemoryReadModel.js';
import { gridQuery, type GridQueryInput, type GridScope } from '../projections/gridQuery.js';
import { applyEvents } from '../projections/projection.js';
import { createProjectionRunner } from '../projections/projectionRunner.js';
import { createProjections } from '../projections/projections.js';
import type { ReadModel } from '../projections/readModel.js';
import { createSqliteEventStore } from '../src/eventStore/sqliteEventStore.js';
import type { NewEvent, RecordedEvent } from '../src/eventStore/eventStore.js';

const APPS = Number(process.env.APPS ?? 100_000);
const ORGS = 50;
const USERS = 2_000;
const QUERIES = Number(process.env.QUERIES ?? 3_000);

// Deterministic pseudo-random numbers (mulberry32), so runs are comparable.
let seed = 42;
const random = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const WORDS = ['billing', 'crm', 'sync', 'export', 'import', 'mobile', 'portal', 'report', 'bridge', 'gateway', 'shop', 'erp'];

function generate(): Array<{ streamName: string; event: NewEvent }> {
  const out: Array<{ streamName: string; event: NewEvent }> = [];
  let clock = Date.UTC(2024, 0, 1);
  const add = (streamName: string, type: string, data: object) =>
    out.push({
      streamName,
      event: {
        id: `e${out.length}`,
        type,
        data,
        metadata: { actor: 'bench', occurredAt: new Date((clock += 1000)).toISOString(), correlationId: 'bench' },
      },
    });
  for (let o = 0; o < ORGS; o += 1) add(`organization-o${o}`, 'OrganizationCreated', { organizationId: `o${o}`, name: `Org ${o}`, globalAccess: o === 0 });
  for (let u = 0; u < USERS; u += 1) {
    add(`user-u${u}`, 'UserRegistered', {
      userId: `u${u}`, kind: 'backOffice', username: `user${u}`, email: `user${u}@example.test`, locale: 'en',
      roles: ['user'], organizationIds: [`o${u % ORGS}`], passwordHash: 'scrypt$x',
    });
  }
  for (let a = 0; a < APPS; a += 1) {
    const owner = Math.floor(random() * USERS);
    const id = `app${a}`;
    add(`oauthApplication-${id}`, 'ApplicationCreated', {
      applicationId: id, clientId: `client${a}`, secretHash: 'sha256$x',
      name: `${pick(WORDS)} ${pick(WORDS)} ${a}`, organizationId: `o${owner % ORGS}`, ownerUserId: `u${owner}`,
      active: random() > 0.2, grants: random() > 0.7 ? ['password', 'refresh_token'] : ['client_credentials'],
      frontend: false, allApis: true, apis: [], scopes: [], applicationUrl: null, description: null,
    });
    if (random() < 0.1) add(`oauthApplication-${id}`, 'ApplicationUpdated', { applicationId: id, changes: { description: { from: null, to: 'edited' } } });
    if (random() < 0.01) add(`oauthApplication-${id}`, 'ApplicationDeleted', { applicationId: id });
    if (random() < 0.3) {
      add(`oauthTokens-${id}`, 'TokenIssued', {
        jti: `j${a}`, applicationId: id, clientId: `client${a}`, grant: 'client_credentials', sub: `u${owner}`, aud: [], scope: '', exp: 0,
      });
    }
  }
  return out;
}

function recorded(history: Array<{ streamName: string; event: NewEvent }>): RecordedEvent[] {
  const revisions = new Map<string, number>();
  return history.map(({ streamName, event }, i) => {
    const revision = (revisions.get(streamName) ?? -1) + 1;
    revisions.set(streamName, revision);
    return { ...event, streamName, revision, position: i + 1, recordedAt: event.metadata.occurredAt };
  });
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function randomQuery(): { input: GridQueryInput; scope: GridScope; kind: string } {
  const sort = `${random() < 0.5 ? '-' : ''}${pick(['name', 'active', 'createdAt', 'lastUsedAt'])}`;
  const input: GridQueryInput = { sort, page: String(1 + Math.floor(random() * 20)), perPage: pick(['25', '50', '100']) };
  const scope: GridScope = { organizationIds: random() < 0.3 ? null : Array.from({ length: 1 + Math.floor(random() * 5) }, () => `o${Math.floor(random() * ORGS)}`) };
  const kinds: string[] = [];
  if (random() < 0.4) { input.name = pick(WORDS).slice(0, 4); kinds.push('name'); }
  if (random() < 0.3) { input.active = random() < 0.5 ? 'true' : 'false'; kinds.push('active'); }
  if (random() < 0.2) { input.grant = pick(['client_credentials', 'password']); kinds.push('grant'); }
  if (random() < 0.1) { input.ownerUserId = `u${Math.floor(random() * USERS)}`; kinds.push('owner'); }
  if (random() < 0.2) { input.organizationId = `o${Math.floor(random() * ORGS)}`; kinds.push('org'); }
  return { input, scope, kind: kinds.join('+') || 'sort only' };
}

const byKind = new Map<string, number[]>();

async function measureQueries(readModel: ReadModel, count: number, writeBetween: boolean): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    if (writeBetween) {
      const id = `app${Math.floor(random() * APPS)}`;
      const row = await readModel.applications.get(id);
      if (row) {
        const { lastUsedAt: _l, ...rest } = row;
        const name = `${pick(WORDS)} renamed ${i}`;
        await readModel.applications.upsert({ ...rest, name, nameLower: name, revision: row.revision + 1 });
        await readModel.applications.touchLastUsed([{ applicationId: id, at: new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString() }]);
      }
    }
    const { input, scope } = randomQuery();
    const started = performance.now();
    await readModel.applications.query(gridQuery(input, scope));
    const ms = performance.now() - started;
    times.push(ms);
    if (!writeBetween) {
      const kind = `${input.name !== undefined ? 'name filter' : 'no name filter'}, ${scope.organizationIds === null ? 'all organizations' : 'org allow-list'}`;
      byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
    }
  }
  return times.sort((a, b) => a - b);
}

const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const rows: string[][] = [];
const report = (what: string, value: string, target: string, ok: boolean | null) =>
  rows.push([what, value, target, ok === null ? '' : ok ? 'ok' : 'MISSED']);

async function main(): Promise<void> {
  let history = generate();
  console.log(`${APPS.toLocaleString('en-US')} applications, ${history.length.toLocaleString('en-US')} events (${ORGS} orgs, ${USERS} users)\n`);

  // 1. Straight through the projection handlers (its read model is dropped afterwards).
  {
    const events = recorded(history);
    const direct = createInMemoryReadModel();
    const started = performance.now();
    await applyEvents(createProjections(), direct, events);
    const directRate = (events.length / (performance.now() - started)) * 1000;
    report('projection apply (handlers only)', `${fmt(directRate, 0)} events/s`, '≥ 50,000 events/s', directRate >= 50_000);
  }
  let started: number;

  // 2. Real catch-up from SQLite through the runner.
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-gridbench-'));
  const store = createSqliteEventStore({ file: join(dir, 'events.sqlite') });
  const readModel = createInMemoryReadModel();
  try {
    started = performance.now();
    for (let i = 0; i < history.length; i += 2000) {
      await Promise.all(history.slice(i, i + 2000).map(({ streamName, event }) => store.appendToStream(streamName, [event])));
    }
    report('append to SQLite (setup, group commit)', `${fmt((history.length / (performance.now() - started)) * 1000, 0)} events/s`, '', null);
    history = [];
    const runner = createProjectionRunner({ store, readModel });
    const rebuild = await runner.rebuild();
    await runner.stop();
    const rebuildRate = (rebuild.events / rebuild.ms) * 1000;
    report('rebuild from SQLite (runner catch-up)', `${fmt(rebuildRate, 0)} events/s (${fmt(rebuild.ms / 1000, 2)} s)`, '≥ 50,000 events/s', rebuildRate >= 50_000);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }

  // 3. Queries.
  started = performance.now();
  await readModel.applications.query(gridQuery({ sort: 'name' }));
  await readModel.applications.query(gridQuery({ sort: 'active' }));
  await readModel.applications.query(gridQuery({ sort: 'createdAt' }));
  await readModel.applications.query(gridQuery({ sort: 'lastUsedAt' }));
  report('first queries after rebuild (build 4 sort indexes)', `${fmt(performance.now() - started)} ms`, '', null);

  const reads = await measureQueries(readModel, QUERIES, false);
  report(`grid query mix p50 (${QUERIES} queries)`, `${fmt(percentile(reads, 50), 2)} ms`, '', null);
  report('grid query mix p95', `${fmt(percentile(reads, 95), 2)} ms`, '', null);
  report('grid query mix p99', `${fmt(percentile(reads, 99), 2)} ms`, '< 20 ms', percentile(reads, 99) < 20);
  report('grid query mix max', `${fmt(reads[reads.length - 1]!, 2)} ms`, '', null);
  for (const [kind, times] of [...byKind].sort()) {
    times.sort((a, b) => a - b);
    report(`  ${kind} (${times.length}) p50 / p99`, `${fmt(percentile(times, 50), 2)} / ${fmt(percentile(times, 99), 2)} ms`, '', null);
  }

  const afterWrites = await measureQueries(readModel, Math.min(QUERIES, 1000), true);
  report('query after a write (rename + last use) p50', `${fmt(percentile(afterWrites, 50), 2)} ms`, '', null);
  report('query after a write (rename + last use) p99', `${fmt(percentile(afterWrites, 99), 2)} ms`, '< 20 ms', percentile(afterWrites, 99) < 20);

  const widths = [0, 1, 2, 3].map((c) => Math.max(...[['measure', 'result', 'target', ''], ...rows].map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  console.log(line(['measure', 'result', 'target', '']));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log(`\nnode ${process.version}, ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB RSS`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
