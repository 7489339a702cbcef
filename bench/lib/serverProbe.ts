import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { takeAuditChunkStatistics } from '../../src/audit/auditGate.js';

/**
 * Inside a bench server: every `intervalMs`, one JSON line to `file` with the process's memory
 * (rss, V8 heap, external, array buffers) and the event loop's delay over the interval (max,
 * p99, in ms) and utilisation, and the audit chunks run meanwhile (count, total and longest ms). Started only when the parent sets BENCH_PROBE_FILE, so the
 * figures of a normal run are untouched; the parent lines the samples up with its phases by time.
 */
export function startServerProbe(file: string, intervalMs = 250): void {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let elu = performance.eventLoopUtilization();
  setInterval(() => {
    const memory = process.memoryUsage();
    const used = performance.eventLoopUtilization(elu);
    elu = performance.eventLoopUtilization();
    const line = {
      t: Date.now(),
      rss: memory.rss,
      heapTotal: memory.heapTotal,
      heapUsed: memory.heapUsed,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      delayMaxMs: delay.max / 1e6,
      delayP99Ms: delay.percentile(99) / 1e6,
      elu: used.utilization,
      audit: takeAuditChunkStatistics(),
    };
    delay.reset();
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, intervalMs).unref();
}
