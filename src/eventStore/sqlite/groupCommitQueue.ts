/**
 * Collects appends and hands them to `writeBatch` (the writer thread) in groups, with at most
 * one batch in flight: everything that arrives while a batch is being committed and fsynced
 * waits and goes as the next batch (at most `maxBatchSize`), so batches grow with the load —
 * one transaction, one fsync for all of them — and batches commit in the order appends came.
 *
 * The next batch is sent from `setImmediate`, not at once: appends made in the same event-loop
 * turn (and those made by the continuations of the batch just answered) join it. With
 * `maxBatchSize: 1` every append is its own transaction (group commit off).
 */
export interface GroupCommitQueue<T> {
  enqueue(item: T): void;
  /** Resolves once everything enqueued so far has been written (used by close). */
  drain(): Promise<void>;
  readonly pending: number;
}

export function createGroupCommitQueue<T>(options: {
  maxBatchSize: number;
  /** Writes a batch and settles each of its items; never rejects. */
  writeBatch: (batch: T[]) => Promise<void>;
}): GroupCommitQueue<T> {
  const queue: T[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  let inFlight: Promise<void> | undefined;

  const sendNext = (): void => {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    if (inFlight !== undefined || queue.length === 0) return;
    inFlight = options.writeBatch(queue.splice(0, options.maxBatchSize)).finally(() => {
      inFlight = undefined;
      schedule();
    });
  };

  const schedule = (): void => {
    if (inFlight === undefined && queue.length > 0) scheduled ??= setImmediate(sendNext);
  };

  return {
    enqueue(item) {
      queue.push(item);
      schedule();
    },
    async drain() {
      while (inFlight !== undefined || queue.length > 0) {
        sendNext();
        await inFlight;
      }
    },
    get pending() {
      return queue.length;
    },
  };
}
