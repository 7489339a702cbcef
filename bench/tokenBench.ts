/**
 * `npm run bench -- [--scenario cc-rs256|cc-es256|password|refresh|introspection]
 *   [--duration 10] [--connections 50] [--rounds 3] [--warmup 3] [--sign-seconds 3] [--amount N] [--no-peer] [--no-floor] [--no-store-floor]`
 *
 * Tollgate on the embedded defaults (fresh DATA_DIR, production, keys present, every token's
 * TokenIssued durably appended) side by side with node-oidc-provider and the floor (bare
 * node:http + the same RS256 signing, nothing stored) and the floor that stores (the same, plus
 * a durable SQLite append per token before answering), each in its own process, the load
 * generator (autocannon) in this one. See BENCHMARKS.md.
 *
 * `npm run bench -- --store postgres [--duration …]` runs the store comparison instead:
 * SQLite, PostgreSQL with one node and with two nodes (bench/postgresTokenBench.ts).
 */
import { parseArgs } from 'node:util';
import { SCENARIOS, type ScenarioName } from './lib/scenarios.js';
import { runTokenBench } from './lib/tokenBenchRun.js';

const storeAt = process.argv.findIndex((arg) => arg === '--store' || arg.startsWith('--store='));
if (storeAt >= 0) {
  const arg = process.argv[storeAt]!;
  const store = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : process.argv[storeAt + 1];
  if (store !== 'postgres' && store !== 'sqlite') {
    console.error('--store must be postgres (SQLite vs PostgreSQL with one and two nodes) or sqlite (the default headline)');
    process.exit(2);
  }
  process.argv.splice(storeAt, arg.includes('=') ? 1 : 2);
  if (store === 'postgres') {
    await import('./postgresTokenBench.js');
    process.exit(process.exitCode ?? 0);
  }
}

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'cc-rs256' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
    'sign-seconds': { type: 'string', default: '3' },
    amount: { type: 'string' },
    'no-peer': { type: 'boolean', default: false },
    'no-floor': { type: 'boolean', default: false },
    'no-store-floor': { type: 'boolean', default: false },
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
const scenario = values.scenario as ScenarioName;
if (!SCENARIOS.includes(scenario)) {
  console.error(`--scenario must be one of ${SCENARIOS.join(', ')}`);
  process.exit(2);
}

await runTokenBench(
  {
    scenario,
    duration: whole('duration', values.duration, 1),
    connections: whole('connections', values.connections, 1),
    rounds: whole('rounds', values.rounds, 1),
    warmup: whole('warmup', values.warmup, 0),
    signSeconds: whole('sign-seconds', values['sign-seconds'], 0),
    ...(values.amount !== undefined ? { amount: whole('amount', values.amount, 1) } : {}),
    peer: !values['no-peer'],
    floor: !values['no-floor'],
    storeFloor: !values['no-store-floor'],
  },
  (line) => console.log(line),
);
