/**
 * `npm run bench:postgres -- [--duration 10] [--connections 50] [--rounds 3] [--warmup 3] [--amount N]`
 *
 * client_credentials (RS256) tokens/s and p99 with every TokenIssued durably appended, on:
 * SQLite (one node, the embedded default), PostgreSQL with one node, and PostgreSQL with two
 * nodes behind a connection-level round-robin (half of the load generator's connections to
 * each node, as an L4 balancer such as HAProxy `balance roundrobin` spreads connections).
 * Each Tollgate is its own process; configurations alternate within each round and every
 * process idles before a timed run. PostgreSQL: a database of its own on BENCH_POSTGRES_URL
 * (default the local server). See BENCHMARKS.md for what a 2-core machine can show.
 */
import { parseArgs } from 'node:util';
import { createBenchKeys, startTollgateChild } from './lib/benchServers.js';
import type { ChildServer } from './lib/childServer.js';
import { runLoad, type LoadResult } from './lib/loadRun.js';
import { createBenchDatabase, type BenchDatabase } from './lib/postgresBenchDatabase.js';
import { RESULT_HEADER, formatResult, median } from './lib/report.js';
import { scenarios } from './lib/scenarios.js';
import { settle } from './lib/settle.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
    amount: { type: 'string' },
  },
});
const whole = (name: string, value: string | undefined, min: number): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be a whole number >= ${min} (got ${value})`);
    process.exit(2);
  }
  return n;
};
const duration = whole('duration', values.duration, 1);
const connections = whole('connections', values.connections, 2);
const rounds = whole('rounds', values.rounds, 1);
const warmup = whole('warmup', values.warmup, 0);
const amount = values.amount !== undefined ? whole('amount', values.amount, 2) : undefined;

interface Setup {
  name: string;
  nodes: ChildServer[];
}
interface Combined {
  perSecond: number;
  p99: number;
  non2xx: number;
}

const scenario = scenarios['cc-rs256'];
const keys = await createBenchKeys(scenario.alg);
const databases: BenchDatabase[] = [];
const setups: Setup[] = [];
try {
  setups.push({ name: 'sqlite x1', nodes: [await startTollgateChild(keys, { dataDirName: 'var-sqlite' })] });
  for (const count of [1, 2]) {
    const database = await createBenchDatabase();
    databases.push(database);
    // Nodes behind one URL share ISSUER; they start together (the bootstrap runs once).
    const env = { EVENTSTORE_URL: database.url, ISSUER: 'http://tollgate.bench' };
    const nodes = await Promise.all(
      Array.from({ length: count }, (_, i) => startTollgateChild(keys, { dataDirName: `var-pg${count}-${i}`, env })),
    );
    setups.push({ name: `postgres x${count}`, nodes });
  }
  const spec = await (await scenario.prepareTollgate(setups[0]!.nodes[0]!.url, connections))();
  const pids = setups.flatMap((setup) => setup.nodes.map((node) => node.pid));

  /** One timed run of a setup: its connections split evenly over its nodes, all at once. */
  const run = async (setup: Setup, seconds: number): Promise<{ combined: Combined; perNode: LoadResult[] }> => {
    await settle(pids);
    const share = Math.floor(connections / setup.nodes.length);
    const perNode = await Promise.all(
      setup.nodes.map((node) =>
        runLoad(node.url, spec, {
          connections: share,
          duration: seconds,
          serverPid: node.pid,
          ...(amount !== undefined ? { amount: Math.ceil(amount / setup.nodes.length) } : {}),
        }),
      ),
    );
    return {
      perNode,
      combined: {
        perSecond: perNode.reduce((sum, r) => sum + r.perSecond, 0),
        // Percentiles do not add up: the worse node's p99 is reported.
        p99: Math.max(...perNode.map((r) => r.p99)),
        non2xx: perNode.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
      },
    };
  };

  console.log(`scenario: ${scenario.title}; ${connections} connections, ${amount ? `${amount} requests` : `${duration} s`} per run, ${rounds} rounds, warm-up ${warmup} s`);
  if (warmup > 0) for (const setup of setups) await run(setup, warmup);
  const results = new Map(setups.map((setup) => [setup, [] as Combined[]]));
  console.log(RESULT_HEADER);
  for (let round = 1; round <= rounds; round += 1) {
    const order = round % 2 === 1 ? setups : [...setups].reverse();
    for (const setup of order) {
      const { combined, perNode } = await run(setup, duration);
      results.get(setup)!.push(combined);
      perNode.forEach((r, i) => console.log(formatResult(String(round), `${setup.name}${setup.nodes.length > 1 ? ` #${i + 1}` : ''}`, r)));
      if (setup.nodes.length > 1) console.log(`${''.padEnd(7)}${setup.name}: ${combined.perSecond.toFixed(0)} tokens/s together, p99 ${combined.p99} ms (worse node)`);
    }
  }
  console.log('\nmedians over the rounds:');
  console.table(
    setups.map((setup) => {
      const rs = results.get(setup)!;
      return {
        setup: setup.name,
        'tokens/s': Math.round(median(rs.map((r) => r.perSecond))),
        'p99 ms': median(rs.map((r) => r.p99)),
        'non-2xx/errors': rs.reduce((sum, r) => sum + r.non2xx, 0),
      };
    }),
  );
} finally {
  for (const setup of setups) for (const node of setup.nodes) await node.stop();
  for (const database of databases) await database.drop().catch(() => undefined);
  await keys.remove();
}
