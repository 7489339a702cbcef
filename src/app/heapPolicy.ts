import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow between two full collections, for the whole process
 * (every thread's isolate). Set once, at the start of a server process (src/main.ts), from
 * HEAP_GROWING_PERCENT; 0 leaves V8's own policy.
 *
 * Why (BENCHMARKS.md, seventh round): objects that outlive two young-generation collections
 * (response parts of in-flight requests, the main thread's share of an auditor's page or export)
 * are promoted and then wait as garbage for a full collection. V8's own policy lets the old
 * generation grow to up to four times what the last full collection kept (a small, quickly
 * collected heap gets the largest factor), so with auditors reading beside token traffic the
 * process grew by 106–133 MB in 20 s of garbage, none of it retained data. At 50% a full
 * collection comes every few seconds under that load, and the growth stayed at 24–36 MB; the CPU
 * per token measured the same within noise (`npx tsx bench/perfProbe.ts --rate 1800`).
 *
 * V8 reads the factor each time it computes the next limit, so setting it here, before the
 * server has allocated much, takes effect from the first full collection on.
 */
export const HEAP_GROWING_FLAG = '--heap-growing-percent';

export function applyHeapPolicy(growingPercent: number): void {
  if (!Number.isInteger(growingPercent) || growingPercent < 0) {
    throw new RangeError(`heap growing percent must be a whole number >= 0, got ${growingPercent}`);
  }
  if (growingPercent === 0) return;
  setFlagsFromString(`${HEAP_GROWING_FLAG}=${growingPercent}`);
}
