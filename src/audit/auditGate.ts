import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';

/**
 * Audit reads (history pages, export pages, as-of computations) take turns: one at a time
 * per process, in arrival order. Each is made of bounded chunks with a pause between them
 * (`paceAuditWork`), so token requests interleave at every chunk. Waiting here costs
 * auditors latency, never the token path.
 */
let tail: Promise<unknown> = Promise.resolve();

export function inAuditTurn<T>(work: () => Promise<T>): Promise<T> {
  const turn = async (): Promise<T> => {
    chunkStartedAt = performance.now();
    try {
      return await work();
    } finally {
      chunkStartedAt = undefined;
    }
  };
  const result = tail.then(turn, turn);
  tail = result.catch(() => undefined);
  return result;
}

/** Above this share of the event loop used by other work (the token path), audit chunks slow down. */
const BUSY_SHARE = 0.3;
/** While the loop is busy, audit work takes at most this share of it. */
const AUDIT_SHARE_WHEN_BUSY = 0.2;
const MAX_PAUSE_MS = 50;

let chunkStartedAt: number | undefined;
let windowStart = performance.eventLoopUtilization();
let auditMsInWindow = 0;

/**
 * Called between two chunks of audit work. When the event loop is mostly idle, it only
 * yields (setImmediate); when other work keeps it busy, it sleeps long enough that audit
 * chunks take at most a fifth of the loop, so eight auditors cannot crowd out the token
 * endpoint. Measured over the last ~200 ms.
 */
export async function paceAuditWork(): Promise<void> {
  const now = performance.now();
  // Outside a turn (the CLI's own loops, a name lookup) there is no chunk to account for.
  const chunkMs = chunkStartedAt === undefined ? 0 : Math.max(0, now - chunkStartedAt);
  auditMsInWindow += chunkMs;
  const utilization = performance.eventLoopUtilization(windowStart);
  const elapsed = utilization.active + utilization.idle;
  const othersShare = elapsed > 0 ? Math.max(0, utilization.active - auditMsInWindow) / elapsed : 0;
  if (elapsed > 200) {
    windowStart = performance.eventLoopUtilization();
    auditMsInWindow = 0;
  }
  const pauseMs = auditPauseMs(othersShare, chunkMs);
  if (pauseMs > 0) await sleep(pauseMs);
  else await yieldToEventLoop();
  if (chunkStartedAt !== undefined) chunkStartedAt = performance.now();
}

/**
 * How long to pause after a chunk of audit work that took `chunkMs`, when other work used
 * `othersShare` of the event loop lately: 0 (just yield) while the loop is mostly idle,
 * else long enough that audit work keeps to its share of the loop.
 */
export function auditPauseMs(othersShare: number, chunkMs: number): number {
  if (othersShare <= BUSY_SHARE || chunkMs <= 0) return 0;
  return Math.min(MAX_PAUSE_MS, (chunkMs * (1 - AUDIT_SHARE_WHEN_BUSY)) / AUDIT_SHARE_WHEN_BUSY);
}
