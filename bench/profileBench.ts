/**
 * `npm run bench:profile -- [--duration 10] [--connections 50] [--scenario cc-rs256] [--top 30]`
 *
 * Runs Tollgate's child under `node --cpu-prof` through one warm-up and one timed run of a
 * scenario, stops it (the profile is written on exit) and prints, for the samples taken during
 * the timed run, the functions with the most self time and self time per package / folder.
 * Self time is main-thread wall time: under CPU contention a frame's time includes waiting
 * for a core.
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBenchKeys, startTollgateChild } from './lib/benchServers.js';
import { selfTimes } from './lib/cpuProfile.js';
import { runLoad } from './lib/loadRun.js';
import { formatResult, RESULT_HEADER } from './lib/report.js';
import { scenarios, SCENARIOS, type ScenarioName } from './lib/scenarios.js';
import { settle, threadCpuDelta, threadCpuSeconds } from './lib/settle.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'cc-rs256' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    top: { type: 'string', default: '30' },
  },
});
const scenario = scenarios[values.scenario as ScenarioName];
if (!scenario) throw new Error(`--scenario must be one of ${SCENARIOS.join(', ')}`);
const duration = Number(values.duration);
const connections = Number(values.connections);

let timedRun = { fromMs: 0, toMs: Infinity };
const profileDir = await mkdtemp(join(tmpdir(), 'tollgate-cpuprof-'));
const keys = await createBenchKeys(scenario.alg);
try {
  const tollgate = await startTollgateChild(keys, { dataDirName: 'var', nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] });
  try {
    const forRun = await scenario.prepareTollgate(tollgate.url, connections);
    await runLoad(tollgate.url, await forRun(), { connections, duration: 3 });
    await settle([tollgate.pid]);
    const spec = await forRun();
    const from = Date.now() - tollgate.spawnedAt;
    const threadsBefore = threadCpuSeconds(tollgate.pid);
    const result = await runLoad(tollgate.url, spec, { connections, duration, serverPid: tollgate.pid });
    const threads = threadCpuDelta(threadsBefore, threadCpuSeconds(tollgate.pid));
    timedRun = { fromMs: from, toMs: Date.now() - tollgate.spawnedAt };
    console.log(`${scenario.title}; ${connections} connections, ${duration} s, tollgate under --cpu-prof; samples of the timed run only`);
    console.log(RESULT_HEADER);
    console.log(formatResult('1', 'tollgate', result));
    console.log('\nCPU per thread name (all threads of the process, µs per 2xx response):');
    for (const t of threads.filter((t) => t.seconds > 0)) {
      console.log(`  ${((t.seconds * 1e6) / result.ok).toFixed(0).padStart(6)} µs  ${t.name} (${t.threads} thread${t.threads === 1 ? '' : 's'})`);
    }
  } finally {
    await tollgate.stop();
  }
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${profileDir}`);
  const { total, functions, areas } = selfTimes(join(profileDir, file), timedRun);
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  console.log(`\nself time by area (${(total / 1000).toFixed(1)} s of main-thread samples, idle included as (idle)):`);
  for (const a of areas.slice(0, 15)) console.log(`  ${pct(a.share)}  ${a.ms.toFixed(0).padStart(7)} ms  ${a.name}`);
  console.log(`\ntop ${values.top} functions by self time:`);
  for (const f of functions.slice(0, Number(values.top))) {
    console.log(`  ${pct(f.share)}  ${f.ms.toFixed(0).padStart(7)} ms  ${f.name}  ${f.where}`);
  }
} finally {
  await keys.remove();
  await rm(profileDir, { recursive: true, force: true });
}
