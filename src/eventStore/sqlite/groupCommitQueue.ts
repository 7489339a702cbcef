/**
 * Collects appends and hands them to `writeBatch` in groups. With group commit, every append
 * made during one turn of the event loop (typically: the requests that were waiting while the
 * previous batch was being fsynced) is written by the next `setImmediate`, in batches of at
 * most `maxBatchSize`: one transaction, one fsync for all of them. Without group commit each
 * append is written at once in its own transaction.
 */
export interface GroupCommitQueue<T> {
  enqueue(item: T): void;
  /** Writes everything queued now (used by close). */
  flush(): void;
  readonly pending: number;
}

export function createGroupCommitQueue<T>(options: {
  groupCommit: boolean;
  maxBatchSize: number;
  writeBatch: (batch: T[]) => void;
}): GroupCommitQueue<T> {
  const queue: T[] = [];
  let scheduled: NodeJS.Immediate | undefined;

  const flush = (): void => {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    while (queue.length > 0) options.writeBatch(queue.splice(0, options.maxBatchSize));
  };

  return {
    enqueue(item) {
      if (!options.groupCommit) {
        options.writeBatch([item]);
        return;
      }
      queue.push(item);
      scheduled ??= setImmediate(flush);
    },
    flush,
    get pending() {
      return queue.length;
    },
  };
}
