/**
 * Tollgate for the benchmark, in its own process, compiled by tsc as `npm start` runs it
 * (bench/lib/benchServers.ts builds it to dist-bench/): configuration from the environment exactly
 * as `npm start` reads it (the parent sets a fresh DATA_DIR, KEYS_DIR with keys present,
 * NODE_ENV=production, LOG_LEVEL=silent). Prints `READY <url>` once listening; SIGTERM stops
 * it gracefully (pending appends flushed).
 */
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { startTollgate } from '../../src/app/tollgate.js';
import { applyHeapPolicy } from '../../src/app/heapPolicy.js';
import { startServerProbe } from '../lib/serverProbe.js';

if (process.env['BENCH_PROBE_FILE']) startServerProbe(process.env['BENCH_PROBE_FILE']);

const config = loadConfig(process.env);
applyHeapPolicy(config.heapGrowingPercent);
const tollgate = await startTollgate(config, createLogger({ level: config.logLevel }), { printBootstrap: false });
process.stdout.write(`READY ${tollgate.url}\n`);

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  tollgate.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`stop failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
});
