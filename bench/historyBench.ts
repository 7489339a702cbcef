/**
 * `npm run bench:history -- [--tokens 1000000] [--duration 20] [--connections 16] [--auditors 8] [--store sqlite|postgres]`
 *
 * One application (the bootstrap client's) with N TokenIssued events, Tollgate in its own
 * process on the embedded defaults, or with `--store postgres` on a PostgreSQL database of its
 * own (BENCH_POSTGRES_URL, default the local server; history is then read on the main thread,
 * paced, as with every store but the SQLite file). Measures, in order:
 * 1. history page latency (perPage=100, include=tokens): the first page and a deep page (a
 *    cursor half-way down the token stream), sequential, nothing else running;
 * 2. the token endpoint's p99 under client_credentials load, alone;
 * 3. the same load while `--auditors` auditors (half paging through next links, half
 *    exporting JSON Lines) read that application's history;
 * 4. the server's resident memory (VmRSS), sampled every 250 ms: before, and peak during 3
 *    (and, beside it, the peak during 2);
 * 5. the load generator's own event-loop delay (the auditors' clients run in a process of their
 *    own, bench/lib/auditorClients.ts, so they do not share it).
 * With BENCH_PROBE_FILE=<file>, the server also writes memory, event-loop delay and audit
 * chunk samples there every 250 ms (bench/lib/serverProbe.ts), and the phases are marked.
 * Targets (issue 14): a page < 200 ms, token p99 with auditors within 1.5x of alone, memory
 * growth < 100 MB.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { encodeHistoryCursor } from '../src/audit/historyCursor.js';
import { BENCH_CLIENT_ID, createBenchKeys, startTollgateChild } from './lib/benchServers.js';
import { seedTokenEvents } from './lib/historySeed.js';
import { runLoad } from './lib/loadRun.js';
import { scenarios } from './lib/scenarios.js';
import { rssBytes, settle } from './lib/settle.js';
import { benchClientToken } from './lib/tollgateAdmin.js';
import { startAuditorClients } from './lib/auditorProcess.js';
import { createBenchDatabase } from './lib/postgresBenchDatabase.js';

const { values } = parseArgs({
  options: {
    tokens: { type: 'string', default: '1000000' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '16' },
    auditors: { type: 'string', default: '8' },
    samples: { type: 'string', default: '30' },
    store: { type: 'string', default: 'sqlite' },
  },
});
if (values.store !== 'sqlite' && values.store !== 'postgres') throw new Error('--store must be sqlite or postgres');
const tokens = Number(values.tokens);
const duration = Number(values.duration);
const connections = Number(values.connections);
const auditors = Number(values.auditors);
const samples = Number(values.samples);
for (const [name, n] of Object.entries({ tokens, duration, connections, auditors, samples })) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number >= 1`);
}

/** With BENCH_PROBE_FILE set (server samples, bench/lib/serverProbe.ts), the phases are marked in the same file. */
const mark = (phase: string) => {
  const file = process.env['BENCH_PROBE_FILE'];
  if (file) appendFileSync(file, `${JSON.stringify({ t: Date.now(), mark: phase })}\n`);
};
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
};
const fmt = (s: { p50: number; p99: number; n: number }) => `p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms (${s.n} pages)`;

async function timedGet(url: string, token: string): Promise<{ ms: number; body: { next: string | null; items: unknown[] } }> {
  const started = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 200)}`);
  return { ms: performance.now() - started, body: JSON.parse(text) as { next: string | null; items: unknown[] } };
}

const keys = await createBenchKeys('RS256');
const database = values.store === 'postgres' ? await createBenchDatabase() : undefined;
const storeEnv: Record<string, string> = database ? { EVENTSTORE_URL: database.url } : {};
try {
  // A first start bootstraps the store (administrator, bootstrap client); then it stops so the
  // token events can be written straight into the file.
  let tollgate = await startTollgateChild(keys, { dataDirName: 'var', env: storeEnv });
  const adminToken = await benchClientToken(tollgate.url);
  const grid = await timedGet(`${tollgate.url}/admin/oauth-applications?perPage=100`, adminToken);
  const app = (grid.body.items as Array<{ id: string; clientId: string }>).find((a) => a.clientId === BENCH_CLIENT_ID);
  if (!app) throw new Error('bootstrap application not found');
  await tollgate.stop();

  const seedStarted = Date.now();
  let lastReport = 0;
  const seedTarget = database ? { postgresUrl: database.url } : { file: join(keys.dir, 'var', 'events.sqlite') };
  await seedTokenEvents(seedTarget, app.id, BENCH_CLIENT_ID, tokens, 24 * 3600, (written) => {
    if (written - lastReport >= 100_000 || written === tokens) {
      lastReport = written;
      console.log(`seeded ${written} token events (${((Date.now() - seedStarted) / 1000).toFixed(0)} s)`);
    }
  });

  const startedAt = Date.now();
  tollgate = await startTollgateChild(keys, { dataDirName: 'var', env: storeEnv, startTimeoutMs: 30 * 60_000 });
  console.log(`server started on ${tokens} token events (${values.store}) in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  await settle([tollgate.pid], 120_000);
  const token = await benchClientToken(tollgate.url);
  const historyUrl = `${tollgate.url}/admin/oauth-applications/${app.id}/history?include=tokens&perPage=100`;
  const rssBefore = rssBytes(tollgate.pid);

  // 1. Page latency, sequential.
  mark('pages');
  const first: number[] = [];
  const deep: number[] = [];
  const deepCursor = encodeHistoryCursor({ order: 'desc', application: 0, tokens: Math.floor(tokens / 2) });
  for (let i = 0; i < samples; i += 1) {
    first.push((await timedGet(historyUrl, token)).ms);
    deep.push((await timedGet(`${historyUrl}&cursor=${deepCursor}`, token)).ms);
  }
  console.log(`history page, first: ${fmt(stats(first))}`);
  console.log(`history page, deep (revision ${Math.floor(tokens / 2)}): ${fmt(stats(deep))}`);

  // 2. Token load alone.
  const spec = await (await scenarios['cc-rs256'].prepareTollgate(tollgate.url, connections))();
  await settle([tollgate.pid]);
  mark('tokens alone');
  // The load generator's own event loop (autocannon's; the auditors run in another process).
  const benchLoop = monitorEventLoopDelay({ resolution: 1 });
  benchLoop.enable();
  // Reported beside the target (not part of it): how much of the growth the token load alone causes.
  let peakAlone = rssBytes(tollgate.pid);
  const aloneTimer = setInterval(() => (peakAlone = Math.max(peakAlone, rssBytes(tollgate.pid))), 250);
  const alone = await runLoad(tollgate.url, spec, { connections, duration });
  clearInterval(aloneTimer);
  const benchLoopAlone = benchLoop.percentile(99) / 1e6;
  benchLoop.reset();
  console.log(`tokens alone: ${alone.perSecond.toFixed(0)}/s, p50 ${alone.p50} ms, p99 ${alone.p99} ms (${alone.non2xx} non-2xx)`);

  // 3. The same load with auditors paging and exporting.
  await settle([tollgate.pid]);
  let peak = rssBytes(tollgate.pid);
  const rssTimer = setInterval(() => (peak = Math.max(peak, rssBytes(tollgate.pid))), 250);
  // The auditors run in their own process (bench/lib/auditorClients.ts): their clients no
  // longer share autocannon's event loop.
  const auditorProcess = await startAuditorClients({ historyUrl, origin: tollgate.url, token, auditors });
  mark('tokens with auditors');
  benchLoop.reset();
  const loaded = await runLoad(tollgate.url, spec, { connections, duration });
  const benchLoopLoaded = benchLoop.percentile(99) / 1e6;
  benchLoop.disable();
  const audited = await auditorProcess.stop();
  clearInterval(rssTimer);
  if (audited.errors.length > 0) throw new Error(`auditors failed: ${audited.errors.join('; ')}`);
  const pageTimes = audited.pageMs;
  const { exports, exportedBytes } = audited;
  mark('end');
  console.log(
    `tokens with ${auditors} auditors: ${loaded.perSecond.toFixed(0)}/s, p50 ${loaded.p50} ms, p99 ${loaded.p99} ms (${loaded.non2xx} non-2xx)`,
  );
  console.log(`auditors meanwhile: history ${fmt(stats(pageTimes))}; exports ${exports} finished, ${mb(exportedBytes)} MB streamed`);
  console.log(`load generator's event loop delay p99: ${benchLoopAlone.toFixed(1)} ms alone, ${benchLoopLoaded.toFixed(1)} ms with auditors`);
  console.log(`server RSS: before ${mb(rssBefore)} MB, peak with auditors ${mb(peak)} MB, growth ${mb(peak - rssBefore)} MB`);
  console.log(`  of which tokens alone: peak ${mb(peakAlone)} MB (+${mb(peakAlone - rssBefore)} MB); auditors over that: +${mb(peak - peakAlone)} MB`);

  const ratio = loaded.p99 / Math.max(1, alone.p99);
  const pageP99 = Math.max(stats(first).p99, stats(deep).p99);
  console.log(
    `targets: page p99 ${pageP99.toFixed(1)} ms (< 200: ${pageP99 < 200 ? 'met' : 'NOT met'}); ` +
      `token p99 ratio ${ratio.toFixed(2)} (<= 1.5: ${ratio <= 1.5 ? 'met' : 'NOT met'}); ` +
      `memory growth ${mb(peak - rssBefore)} MB (< 100: ${peak - rssBefore < 100 * 1024 * 1024 ? 'met' : 'NOT met'})`,
  );
  await tollgate.stop();
} finally {
  await database?.drop();
  await keys.remove();
}
