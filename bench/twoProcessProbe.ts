/**
 * `npx tsx bench/twoProcessProbe.ts [--duration 10] [--connections 50] [--rounds 2]`
 *
 * Would a second Tollgate process on the same SQLite file add capacity? One process with all
 * connections against two processes (same DATA_DIR and keys, half the connections each, run
 * at the same time), alternating. SQLite allows one writer at a time, so the two processes'
 * group commits queue on the file lock; non-2xx answers show when they cannot.
 */
import { parseArgs } from 'node:util';
import { createBenchKeys, startTollgateChild } from './lib/benchServers.js';
import type { ChildServer } from './lib/childServer.js';
import { runLoad, type LoadResult } from './lib/loadRun.js';
import { scenarios } from './lib/scenarios.js';
import { settle } from './lib/settle.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '2' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);

const keys = await createBenchKeys('RS256');
const servers: ChildServer[] = [];
try {
  servers.push(await startTollgateChild(keys, { dataDirName: 'var' }));
  servers.push(await startTollgateChild(keys, { dataDirName: 'var' }));
  const spec = await (await scenarios['cc-rs256'].prepareTollgate(servers[0]!.url, connections))();
  const pids = servers.map((s) => s.pid);
  const line = (label: string, results: LoadResult[]) => {
    const perSecond = results.reduce((sum, r) => sum + r.perSecond, 0);
    const bad = results.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0);
    const codes = results.map((r) => JSON.stringify(r.statusCodes)).join(' ');
    console.log(`${label.padEnd(34)} ${perSecond.toFixed(0).padStart(6)} tokens/s  p99 ${results.map((r) => r.p99).join('/')} ms  non-2xx+errors ${bad}  ${codes}`);
  };
  const one = async () => {
    await settle(pids);
    line('1 process, all connections', [await runLoad(servers[0]!.url, spec, { connections, duration })]);
  };
  const two = async () => {
    await settle(pids);
    const half = Math.max(1, Math.floor(connections / 2));
    line('2 processes, same SQLite file', await Promise.all(servers.map((s) => runLoad(s.url, spec, { connections: half, duration }))));
  };
  await runLoad(servers[0]!.url, spec, { connections, duration: 3 });
  await runLoad(servers[1]!.url, spec, { connections, duration: 3 });
  for (let round = 1; round <= Number(values.rounds); round += 1) {
    if (round % 2) {
      await one();
      await two();
    } else {
      await two();
      await one();
    }
  }
} finally {
  for (const s of servers) await s.stop();
  await keys.remove();
}
