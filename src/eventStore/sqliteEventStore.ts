import { writeBatch, type PendingAppend } from './sqlite/appendBatch.js';
import { createGroupCommitQueue } from './sqlite/groupCommitQueue.js';
import { openDatabase } from './sqlite/openDatabase.js';
import { needsReopen, toStoreError } from './sqlite/sqliteErrors.js';
import { prepareStatements, toRecordedEvent, type Statements } from './sqlite/statements.js';
import { createCatchUpSubscription, type CatchUpSubscription } from './catchUpSubscription.js';
import {
  StoreUnavailableError,
  type AppendResult,
  type EventFilter,
  type EventStore,
} from './eventStore.js';
import { createUpcaster, defaultUpcasters, type Upcaster } from './upcasters.js';
import { validateAppend } from './validateAppend.js';

export interface SqliteEventStoreOptions {
  file: string;
  /** Share one transaction (one fsync) among the appends of one event-loop turn. Default true. */
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
}

export interface SqliteEventStore extends EventStore {
  readonly kind: 'sqlite';
  readonly file: string;
  /** Deletes events older than their stream's max age; returns how many. Revisions are kept. */
  enforceRetention(now?: Date): Promise<number>;
}

/** The embedded event store. Throws StoreUnavailableError when the file is corrupt or locked. */
export function createSqliteEventStore(options: SqliteEventStoreOptions): SqliteEventStore {
  const { file, clock = () => new Date(), busyTimeoutMs = 5000 } = options;
  const upcast = createUpcaster(options.upcasters ?? defaultUpcasters);
  let statements: Statements = prepareStatements(openDatabase(file, busyTimeoutMs));
  let reopenBeforeNextWrite = false;
  let closed = false;
  const committedListeners = new Set<() => void>();
  const subscriptions = new Set<CatchUpSubscription>();

  // A connection keeps the mode it was opened with (e.g. read-only): after such an error the
  // next write reopens it, so the store recovers once the file is fixed.
  const reopen = (): void => {
    const db = openDatabase(file, busyTimeoutMs); // if this fails, reads keep the old one
    statements.db.close();
    statements = prepareStatements(db);
    reopenBeforeNextWrite = false;
  };

  const flushBatch = (batch: PendingAppend[]): void => {
    let outcomes;
    try {
      if (reopenBeforeNextWrite) reopen();
      outcomes = writeBatch(statements, batch, clock().toISOString());
    } catch (error) {
      // Nothing of the batch was written (the transaction rolled back); the next write retries.
      if (needsReopen(error)) reopenBeforeNextWrite = true;
      const failure = toStoreError(error, file, 'append');
      for (const append of batch) append.reject(failure);
      return;
    }
    outcomes.forEach((outcome, i) =>
      outcome.ok ? batch[i]!.resolve(outcome.result) : batch[i]!.reject(outcome.error),
    );
    if (outcomes.some((outcome) => outcome.ok)) for (const listener of committedListeners) listener();
  };

  const queue = createGroupCommitQueue<PendingAppend>({
    groupCommit: options.groupCommit ?? true,
    maxBatchSize: options.maxBatchSize ?? 1000,
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

  const readAllRows = (afterPosition: number, maxCount: number, filter?: EventFilter) =>
    statements.readAll(afterPosition, maxCount, filter).map((row) => upcast(toRecordedEvent(row)));

  const enforceRetention = (now: Date): number =>
    statements.db.transaction(() => {
      let deleted = 0;
      for (const { stream, max_age } of statements.streamsWithMaxAge.all()) {
        const cutoff = new Date(now.getTime() - max_age * 1000).toISOString();
        deleted += statements.deleteRecordedBefore.run(stream, cutoff).changes;
      }
      return deleted;
    })();

  const retentionIntervalMs = options.retentionIntervalMs ?? 3_600_000;
  const retentionTimer =
    retentionIntervalMs > 0
      ? setInterval(() => {
          void read('retention', () => enforceRetention(clock())).catch(() => undefined);
        }, retentionIntervalMs).unref()
      : undefined;

  return {
    kind: 'sqlite',
    file,

    appendToStream(streamName, events, appendOptions) {
      const expectedRevision = appendOptions?.expectedRevision ?? 'any';
      return new Promise<AppendResult>((resolve, reject) => {
        if (closed) throw new StoreUnavailableError(`Event store ${file} is closed`);
        validateAppend(streamName, events, expectedRevision);
        const rows = events.map((event) => ({
          id: event.id,
          type: event.type,
          data: JSON.stringify(event.data),
          metadata: JSON.stringify(event.metadata),
        }));
        queue.enqueue({ streamName, expectedRevision, rows, resolve, reject });
      });
    },

    readStream(streamName, readOptions = {}) {
      const backwards = readOptions.direction === 'backwards';
      const from = readOptions.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
      const limit = readOptions.maxCount ?? -1;
      return read('read', () =>
        (backwards ? statements.readBackwards : statements.readForwards)
          .all(streamName, from, limit)
          .map((row) => upcast(toRecordedEvent(row))),
      );
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
            const head = statements.headPosition.get() ?? 0;
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
      );
      subscriptions.add(subscription);
      void subscription.done.finally(() => subscriptions.delete(subscription));
      return subscription;
    },

    headPosition: () => read('read', () => statements.headPosition.get() ?? 0),

    setStreamMaxAge(streamName, maxAgeSeconds) {
      if (!Number.isSafeInteger(maxAgeSeconds) || maxAgeSeconds <= 0) {
        return Promise.reject(new TypeError(`setStreamMaxAge: invalid max age ${maxAgeSeconds}`));
      }
      return read('write', () => void statements.setStreamMaxAge.run(streamName, maxAgeSeconds));
    },

    enforceRetention: (now) => read('retention', () => enforceRetention(now ?? clock())),

    ping: () => read('ping', () => void statements.db.prepare('SELECT 1').get()),

    async close() {
      if (closed) return;
      queue.flush();
      closed = true;
      if (retentionTimer !== undefined) clearInterval(retentionTimer);
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      statements.db.close();
    },
  };
}
