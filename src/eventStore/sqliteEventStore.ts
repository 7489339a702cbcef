import type { PendingAppend } from './sqlite/appendBatch.js';
import { createGroupCommitQueue } from './sqlite/groupCommitQueue.js';
import { openDatabase } from './sqlite/openDatabase.js';
import { ensurePrivateFile } from '../security/privateFiles.js';
import { toStoreError } from './sqlite/sqliteErrors.js';
import { prepareStatements } from './sqlite/statements.js';
import { createSqliteReads } from './sqlite/sqliteReads.js';
import { createWriterClient } from './sqlite/writerClient.js';
import { fromWireError, fromWireOutcomes, toWireBatch, type WireRow } from './sqlite/writerProtocol.js';
import { packedTokenIssuedBody } from './sqlite/rowCodec.js';
import { createCatchUpSubscription, type CatchUpSubscription, type CommittedAppends } from './catchUpSubscription.js';
import {
  StoreUnavailableError,
  type AppendResult,
  type EventStore,
} from './eventStore.js';
import { createUpcaster, defaultUpcasters, type Upcaster } from './upcasters.js';
import { validateAppend, validateMaxAge } from './validateAppend.js';

export interface SqliteEventStoreOptions {
  file: string;
  /** Share one transaction (one fsync) among the appends waiting for the writer. Default true. */
  groupCommit?: boolean;
  clock?: () => Date;
  /** How long a write waits for a lock held by another connection. Default 5000 ms. */
  busyTimeoutMs?: number;
  maxBatchSize?: number;
  upcasters?: readonly Upcaster[];
  /** How often expired events of streams with a max age are deleted; 0: only on demand. */
  retentionIntervalMs?: number;
  /**
   * Live subscriptions also poll this often for events committed by other processes sharing
   * the file (in-process commits wake them at once). Default 500 ms; 0 turns polling off.
   */
  livePollMs?: number;
  /** A live subscription waits this long after a commit signal before reading (default 2 ms). */
  liveCoalesceMs?: number;
}

export interface SqliteEventStore extends EventStore {
  readonly kind: 'sqlite';
  readonly file: string;
  /** Deletes events older than their stream's max age; returns how many. Revisions are kept. */
  enforceRetention(now?: Date): Promise<number>;
}

/**
 * The embedded event store. Writes run on a writer thread (sqlite/writerWorker.ts), so commits,
 * fsyncs and WAL checkpoints do not block the event loop; this thread reads through its own
 * connection (WAL lets it read while the writer writes). The file is opened and checked here
 * first, synchronously: a corrupt or locked file throws StoreUnavailableError from this call.
 */
export function createSqliteEventStore(options: SqliteEventStoreOptions): SqliteEventStore {
  const { file, clock = () => new Date(), busyTimeoutMs = 5000 } = options;
  const upcast = createUpcaster(options.upcasters ?? defaultUpcasters);
  if (file !== ':memory:') ensurePrivateFile(file); // 0600, and so its -wal and -shm
  const statements = prepareStatements(openDatabase(file, busyTimeoutMs));
  // Only the writer thread writes: a write from here would block the event loop again.
  statements.db.pragma('query_only = ON');
  // This connection's page cache is private memory of the process, filled by whatever it
  // reads: an export scanning a million-event stream fills all of it. Reads here are short
  // (a stream's chunk, a subscription's page) and the OS caches the file anyway, so 8 MB is
  // plenty; the writer thread keeps 32 MB for its indexes (openDatabase.ts).
  statements.db.pragma('cache_size = -8000');
  const writer = createWriterClient({ file, busyTimeoutMs });
  let closing = false;
  let closed = false;
  const committedListeners = new Set<(committed: CommittedAppends) => void>();
  const subscriptions = new Set<CatchUpSubscription>();

  const write = async <T>(action: string, fn: () => Promise<T>): Promise<T> => {
    if (closing) throw new StoreUnavailableError(`Event store ${file} is closed`);
    try {
      return await fn();
    } catch (error) {
      throw toStoreError(error, file, action);
    }
  };

  const flushBatch = async (batch: PendingAppend[]): Promise<void> => {
    let outcomes;
    try {
      outcomes = fromWireOutcomes(await writer.call('append', { batch: toWireBatch(batch), recordedAt: clock().toISOString() }));
    } catch (error) {
      // Nothing of the batch was written (the transaction rolled back); the next write retries.
      const failure = toStoreError(error, file, 'append');
      for (const append of batch) append.reject(failure);
      return;
    }
    outcomes.forEach((outcome, i) =>
      outcome.ok ? batch[i]!.resolve(outcome.result) : batch[i]!.reject(fromWireError(outcome.error)),
    );
    // The writer replied after its commit, so this thread's next read sees the batch.
    const committed: CommittedAppends = batch
      .filter((_, i) => outcomes[i]!.ok)
      .map((append) => ({ streamName: append.streamName, types: append.rows.map((row) => row.type) }));
    if (committed.length > 0) for (const listener of committedListeners) listener(committed);
  };

  const queue = createGroupCommitQueue<PendingAppend>({
    maxBatchSize: (options.groupCommit ?? true) ? (options.maxBatchSize ?? 1000) : 1,
    writeBatch: flushBatch,
  });

  const read = <T>(action: string, fn: () => T): Promise<T> => {
    if (closed) return Promise.reject(new StoreUnavailableError(`Event store ${file} is closed`));
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(toStoreError(error, file, action));
    }
  };

  const reads = createSqliteReads(statements, upcast);
  const readAllRows = reads.readAll;

  const enforceRetention = (now: Date): Promise<number> =>
    write('retention', () => writer.call('retention', { now: now.toISOString() }));

  const retentionIntervalMs = options.retentionIntervalMs ?? 3_600_000;
  const retentionTimer =
    retentionIntervalMs > 0
      ? setInterval(() => {
          void enforceRetention(clock()).catch(() => undefined);
        }, retentionIntervalMs).unref()
      : undefined;

  return {
    kind: 'sqlite',
    file,

    appendToStream(streamName, events, appendOptions) {
      const expectedRevision = appendOptions?.expectedRevision ?? 'any';
      return new Promise<AppendResult>((resolve, reject) => {
        if (closing) throw new StoreUnavailableError(`Event store ${file} is closed`);
        validateAppend(streamName, events, expectedRevision);
        const rows = events.map((event): WireRow => {
          const body = packedTokenIssuedBody(event.type, event.data, event.metadata);
          if (body !== undefined) return { id: event.id, type: event.type, body };
          return { id: event.id, type: event.type, data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata) };
        });
        queue.enqueue({ streamName, expectedRevision, rows, resolve, reject });
      });
    },

    readStream(streamName, readOptions = {}) {
      return read('read', () => reads.readStream(streamName, readOptions));
    },

    readAll(readOptions = {}) {
      return read('read', () =>
        readAllRows(readOptions.afterPosition ?? 0, readOptions.maxCount ?? -1, readOptions.filter),
      );
    },

    subscribeToAll(subscribeOptions) {
      const subscription = createCatchUpSubscription(
        // Head and page are read in one synchronous step, so nothing can commit in between:
        // a short page means no matching event up to the head, and the cursor may skip there.
        (after, maxCount) =>
          read('read', () => {
            const head = reads.headPosition();
            const events = readAllRows(after, maxCount, subscribeOptions.filter);
            return { events, scannedTo: events.length < maxCount ? head : (events.at(-1)?.position ?? after) };
          }),
        (listener) => {
          committedListeners.add(listener);
          return () => committedListeners.delete(listener);
        },
        subscribeOptions,
        500,
        options.livePollMs ?? 500,
        options.liveCoalesceMs ?? 2,
      );
      subscriptions.add(subscription);
      void subscription.done.finally(() => subscriptions.delete(subscription));
      return subscription;
    },

    headPosition: () => read('read', reads.headPosition),

    setStreamMaxAge(streamName, maxAgeSeconds) {
      try {
        validateMaxAge(streamName, maxAgeSeconds);
      } catch (error) {
        return Promise.reject(error);
      }
      return write('write', async () => void (await writer.call('setStreamMaxAge', { streamName, maxAgeSeconds })));
    },

    enforceRetention: (now) => enforceRetention(now ?? clock()),

    ping: () => read('ping', () => void statements.db.prepare('SELECT 1').get()),

    async close() {
      if (closing) return;
      closing = true; // refuses new writes; reads go on until the subscriptions have stopped
      if (retentionTimer !== undefined) clearInterval(retentionTimer);
      await queue.drain();
      await writer.close();
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      closed = true;
      statements.db.close();
    },
  };
}
