/**
 * Soak test: `npm run soak -- --minutes N [--rate R] [--connections C]`.
 * Starts Tollgate (src/main.ts, embedded defaults) in a child process in a temp dir, measures
 * the client_credentials maximum for ~5 s, then drives half of it (or --rate) for N minutes
 * with autocannon's paced mode, printing every 30 s: requests, non-2xx, errors and the
 * server's RSS. Exits 1 if any request failed or the server died.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const args = process.argv.slice(2);
const option = (name: string, fallback?: number): number | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const minutes = option('minutes', 10)!;
const connections = option('connections', 32)!;
const REPORT_EVERY_S = 30;

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tollgate-soak-'));
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: p } = probe.address() as { port: number };
    probe.close(() => resolve(p));
  });
});
const clientId = 'soak-client-0001';
const clientSecret = 'soak-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  cwd: root,
  env: {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port),
    DATA_DIR: join(dir, 'var'), KEYS_DIR: join(dir, 'keys'), LOG_LEVEL: 'info',
    BOOTSTRAP_CLIENT_ID: clientId, BOOTSTRAP_CLIENT_SECRET: clientSecret, ADMIN_PASSWORD: 'soak-admin-password',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let died = false;
child.once('exit', (code, signal) => {
  died = true;
  if (!stopping) console.error(`server exited unexpectedly: ${code ?? signal}`);
});
let stopping = false;
await new Promise<void>((resolve, reject) => {
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('Tollgate listening')) resolve();
  });
  child.once('exit', () => reject(new Error(`server did not start:\n${out}`)));
});

const url = `http://127.0.0.1:${port}/oauth2-token`;
const request = {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
};
const rssMb = (): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
};
const storeMb = (): number => {
  let bytes = 0;
  for (const f of ['events.sqlite', 'events.sqlite-wal']) {
    try {
      bytes += statSync(join(dir, 'var', f)).size;
    } catch {
      /* not there */
    }
  }
  return Math.round(bytes / 1024 / 1024);
};

console.log(`node ${process.version}, ${connections} connections, server pid ${child.pid}, RSS at start ${rssMb()} MB`);
const probe = await autocannon({ url, ...request, connections: 50, duration: 5 });
const measuredMax = Math.round(probe['2xx'] / ((probe.finish.getTime() - probe.start.getTime()) / 1000));
const rate = option('rate') ?? Math.max(1, Math.round(measuredMax / 2));
console.log(`measured max ${measuredMax} tokens/s over 5 s (non-2xx ${probe.non2xx}, errors ${probe.errors}); soaking at ${rate}/s for ${minutes} min`);
console.log('elapsed  requests  rate/s  non-2xx  errors  RSS MB  store MB');

let requests = 0;
let non2xx = 0;
let errors = 0;
let interval = { requests: 0, non2xx: 0, errors: 0 };
const rssSamples: number[] = [];
const soak = autocannon({
  url, ...request, connections, duration: minutes * 60, timeout: 30,
  overallRate: rate,
} as Parameters<typeof autocannon>[0] & { overallRate: number });
const emitter = soak as unknown as NodeJS.EventEmitter;
emitter.on('response', (_client: unknown, status: number) => {
  interval.requests += 1;
  if (status < 200 || status > 299) interval.non2xx += 1;
});
emitter.on('reqError', () => (interval.errors += 1));
const started = Date.now();
const timer = setInterval(() => {
  if (died) return;
  const rss = rssMb();
  rssSamples.push(rss);
  requests += interval.requests;
  non2xx += interval.non2xx;
  errors += interval.errors;
  const elapsed = Math.round((Date.now() - started) / 1000);
  const line = [`${elapsed}s`.padStart(7), String(interval.requests).padStart(9), String(Math.round(interval.requests / REPORT_EVERY_S)).padStart(7),
    String(interval.non2xx).padStart(8), String(interval.errors).padStart(7), String(rss).padStart(7), String(storeMb()).padStart(9)];
  console.log(line.join(' '));
  interval = { requests: 0, non2xx: 0, errors: 0 };
}, REPORT_EVERY_S * 1000);
const result = await soak;
clearInterval(timer);
requests += interval.requests;
non2xx += interval.non2xx;
errors += interval.errors;

const finalRss = died ? Number.NaN : rssMb();
const ok = !died && result.errors === 0 && result.non2xx === 0 && result.timeouts === 0;
stopping = true;
child.kill('SIGTERM');
const exit = await new Promise<number | string>((resolve) => (died ? resolve('died') : child.once('exit', (code, signal) => resolve(code ?? signal ?? '?'))));
rmSync(dir, { recursive: true, force: true });
console.log(
  `total ${result.requests.total} requests (${result['2xx']} 2xx, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts) ` +
    `in ${minutes} min at ${rate}/s target; latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
);
console.log(`RSS MB: first sample ${rssSamples[0]}, min ${Math.min(...rssSamples)}, max ${Math.max(...rssSamples)}, last ${finalRss}; server exit on SIGTERM: ${exit}`);
console.log(ok ? 'SOAK OK' : 'SOAK FAILED');
process.exit(ok ? 0 : 1);
