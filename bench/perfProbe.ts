/**
 * `npx tsx bench/perfProbe.ts [--duration 8] [--connections 50] [--rate N] [--scenario cc-rs256] [--out DIR]`
 *
 * CPU time (not wall time) of every thread of Tollgate during a run, with `perf record -e
 * cpu-clock` (Linux perf, software clock: works without hardware counters) and Node's
 * `--perf-basic-prof` so JavaScript frames have names. Writes perf.data into --out and prints
 * the hottest symbols per thread kind. Complements `npm run bench:profile` (main thread, wall
 * time, V8's sampler).
 *
 * `--rate N` holds the load at N requests/s (below what the server can answer): the CPU per token
 * then no longer depends on how busy the machine is (at full speed, a slower run batches fewer
 * tokens per event-loop turn, per commit and per message, and pays more per token), so two
 * builds can be compared on a shared machine.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBenchKeys, startTollgateChild } from './lib/benchServers.js';
import { runLoad } from './lib/loadRun.js';
import { formatResult, RESULT_HEADER } from './lib/report.js';
import { scenarios, SCENARIOS, type ScenarioName } from './lib/scenarios.js';
import { settle, threadCpuDelta, threadCpuSeconds } from './lib/settle.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'cc-rs256' },
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '50' },
    out: { type: 'string' },
    rate: { type: 'string' },
  },
});
const scenario = scenarios[values.scenario as ScenarioName];
if (!scenario) throw new Error(`--scenario must be one of ${SCENARIOS.join(', ')}`);
const duration = Number(values.duration);
const connections = Number(values.connections);
const rate = values.rate !== undefined ? Number(values.rate) : undefined;
const out = values.out ?? (await mkdtemp(join(tmpdir(), 'tollgate-perf-')));
await mkdir(out, { recursive: true });
const keys = await createBenchKeys(scenario.alg);
try {
  const tollgate = await startTollgateChild(keys, { dataDirName: 'var', nodeArgs: ['--perf-basic-prof-only-functions'] });
  try {
    const forRun = await scenario.prepareTollgate(tollgate.url, connections);
    await runLoad(tollgate.url, await forRun(), { connections, duration: 3 });
    await settle([tollgate.pid]);
    const spec = await forRun();
    const perfData = join(out, 'perf.data');
    const perf = spawn('perf', ['record', '-e', 'cpu-clock', '-F', '997', '-g', '-p', String(tollgate.pid), '-o', perfData], { stdio: ['ignore', 'ignore', 'inherit'] });
    const perfExited = new Promise((resolve) => perf.once('exit', resolve));
    await new Promise((r) => setTimeout(r, 300));
    const threadsBefore = threadCpuSeconds(tollgate.pid);
    const result = await runLoad(tollgate.url, spec, { connections, duration, serverPid: tollgate.pid, ...(rate !== undefined ? { rate } : {}) });
    const threads = threadCpuDelta(threadsBefore, threadCpuSeconds(tollgate.pid));
    perf.kill('SIGINT');
    await perfExited;
    console.log(RESULT_HEADER);
    console.log(formatResult('1', 'tollgate', result));
    console.log('\nCPU per thread name (µs per 2xx):');
    for (const t of threads.filter((t) => t.seconds > 0)) console.log(`  ${((t.seconds * 1e6) / result.ok).toFixed(0).padStart(6)} µs  ${t.name} (${t.threads})`);
    const report = spawnSync('perf', ['report', '-i', perfData, '--no-children', '--sort', 'pid,sym', '--stdio', '-g', 'none', '--percent-limit', '0.7'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    console.log(report.stdout.split('\n').filter((l) => l && !l.startsWith('#')).join('\n'));
    console.log(`\nperf data: ${perfData}`);
  } finally {
    await tollgate.stop();
  }
} finally {
  await keys.remove();
}
