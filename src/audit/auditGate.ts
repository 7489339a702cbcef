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
    // A turn starts like any chunk: after the pause the previous turn's last chunk earned.
    await paceAuditWork();
    chunkStartedAt = performance.now();
    try {
      return await work();
    } finally {
      endChunk(performance.now());
      chunkStartedAt = undefined;
    }
  };
  const result = tail.then(turn, turn);
  tail = result.catch(() => undefined);
  return result;
}

/**
 * Above this share of the event loop used by other work (token requests, anything not audit),
 * the loop counts as serving someone, and audit work keeps to AUDIT_SHARE_WHEN_BUSY of it.
 * Deliberately low: the other work's share is no measure of its demand, because audit chunks
 * that crowd the loop slow the token path down and so lower its share (at 0.3, eight auditors
 * took 40% of the loop and token throughput fell by two thirds while their share stayed low).
 */
const OTHERS_ACTIVE_SHARE = 0.05;
/** While others use the loop, audit work takes at most this share of it. */
const AUDIT_SHARE_WHEN_BUSY = 0.2;
const MAX_PAUSE_MS = 50;
/** The other work's share is measured over windows of this length (the last full one counts). */
const WINDOW_MS = 200;

/** Audit chunks since the last call of `takeAuditChunkStatistics`: how many, their total and the longest (ms). */
export interface AuditChunkStatistics {
  chunks: number;
  totalMs: number;
  longestMs: number;
  /** Time audit work spent pausing for others (ms). */
  pausedMs: number;
}
let chunkStatistics: AuditChunkStatistics = { chunks: 0, totalMs: 0, longestMs: 0, pausedMs: 0 };

/** What the audit chunks took since the last call (the history bench's probe reports it), and starts again. */
export function takeAuditChunkStatistics(): AuditChunkStatistics {
  const taken = chunkStatistics;
  chunkStatistics = { chunks: 0, totalMs: 0, longestMs: 0, pausedMs: 0 };
  return taken;
}

let chunkStartedAt: number | undefined;
/** Pause owed by the chunks run since the last pause (ms). */
let owedPauseMs = 0;
let windowStart = performance.eventLoopUtilization();
let auditMsInWindow = 0;
let othersShare = 0;

/** Ends the running chunk at `now`: counts it, and adds the pause it earns. */
function endChunk(now: number): void {
  if (chunkStartedAt === undefined) return;
  const chunkMs = Math.max(0, now - chunkStartedAt);
  chunkStartedAt = undefined;
  chunkStatistics.chunks += 1;
  chunkStatistics.totalMs += chunkMs;
  if (chunkMs > chunkStatistics.longestMs) chunkStatistics.longestMs = chunkMs;
  auditMsInWindow += chunkMs;
  const utilization = performance.eventLoopUtilization(windowStart);
  const elapsed = utilization.active + utilization.idle;
  if (elapsed >= WINDOW_MS) {
    othersShare = Math.max(0, utilization.active - auditMsInWindow) / elapsed;
    windowStart = performance.eventLoopUtilization();
    auditMsInWindow = 0;
  }
  owedPauseMs = Math.min(MAX_PAUSE_MS, owedPauseMs + auditPauseMs(othersShare, chunkMs));
}

/**
 * Called between two chunks of audit work (and before every turn). When nothing else uses
 * the event loop, it only yields (setImmediate); as soon as other work does, it sleeps long
 * enough that audit chunks take at most a fifth of the loop, so eight auditors cannot crowd
 * out the token endpoint. The pause a turn's last chunk earns is taken before the next turn,
 * so turns following each other keep to the share too. Others' share: the last ~200 ms.
 */
export async function paceAuditWork(): Promise<void> {
  const inTurn = chunkStartedAt !== undefined;
  endChunk(performance.now());
  const pauseMs = owedPauseMs;
  owedPauseMs = 0;
  chunkStatistics.pausedMs += pauseMs;
  if (pauseMs > 0) await sleep(pauseMs);
  else await yieldToEventLoop();
  if (inTurn) chunkStartedAt = performance.now();
}

/**
 * How long to pause after a chunk of audit work that took `chunkMs`, when other work used
 * `othersShare` of the event loop lately: 0 (just yield) while nothing else uses the loop,
 * else long enough that audit work keeps to its share of the loop.
 */
export function auditPauseMs(othersShare: number, chunkMs: number): number {
  if (othersShare <= OTHERS_ACTIVE_SHARE || chunkMs <= 0) return 0;
  return Math.min(MAX_PAUSE_MS, (chunkMs * (1 - AUDIT_SHARE_WHEN_BUSY)) / AUDIT_SHARE_WHEN_BUSY);
}
