/**
 * Audit reads (history pages, export pages, as-of computations) take turns: one at a time
 * per process, in arrival order. Each is made of bounded chunks with a yield between them,
 * so with one running, token requests interleave at every chunk; with eight auditors at
 * once they would each take a slice of every turn of the event loop. Waiting here costs
 * auditors latency, never the token path.
 */
let tail: Promise<unknown> = Promise.resolve();

export function inAuditTurn<T>(work: () => Promise<T>): Promise<T> {
  const result = tail.then(work, work);
  tail = result.catch(() => undefined);
  return result;
}
