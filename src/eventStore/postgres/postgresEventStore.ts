import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createCatchUpSubscription, type CatchUpSubscription, type CommittedAppends } from '../catchUpSubscription.js';
import { StoreUnavailableError, type AppendResult, type EventFilter, type EventStore, type RecordedEvent } from '../eventStore.js';
import { createGroupCommitQueue } from '../sqlite/groupCommitQueue.js';
import { createUpcaster, defaultUpcasters, type Upcaster } from '../upcasters.js';
import { validateAppend, validateMaxAge } from '../validateAppend.js';
import { migrate } from './migrate.js';
import { appendBatchQuery, decodeOutcomes, type PgAppend } from './pgAppend.js';
import { createCommitListener } from './pgCommitListener.js';
import { toPortError } from './pgErrors.js';
import { createCommitNotifier } from './pgNotifier.js';
import { readAllQuery, readStreamQuery, retentionQuery, setStreamMaxAgeQuery } from './pgReads.js';
import { toRecordedEvent, type EventRow } from './pgRows.js';

export interface PostgresEventStoreOptions {
  /** `postgres://…` or `postgresql://…` */
  connectionString: string;
  /** Connections in the pool (reads and appends); the LISTEN connection comes on top. Default 8. */
  poolSize?: number;
  /** Concurrent appends share one transaction (one call, one commit). Default true. */
  groupCommit?: boolean;
  maxBatchSize?: number;
  clock?: () => Date;
  upcasters?: readonly Upcaster[];
  /** How often expired events of streams with a max age are deleted; 0: only on demand. Default hourly. */
  retentionIntervalMs?: number;
  /** Live subscriptions also poll this often (a missed notification, a commit held back by an older writer). Default 500 ms. */
  livePollMs?: number;
  /** A live subscription waits this long after a commit signal before reading. Default 2 ms. */
  liveCoalesceMs?: number;
  /** How long a read waits for this node's own last commit to become visible to "all events" reads. Default 2000 ms. */
  ownWritesWaitMs?: number;
}

export interface PostgresEventStore extends EventStore {
  readonly kind: 'postgres';
  /** Deletes events older than their stream's max age; returns how many. Revisions are kept. */
  enforceRetention(now?: Date): Promise<number>;
}

interface PendingAppend extends PgAppend {
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

interface PageRow extends Partial<EventRow> {
  xmin: string;
  head: string;
}

/**
 * The PostgreSQL event store (node-postgres, a pool). The schema is migrated at creation
 * (migrate.ts, under an advisory lock, so nodes may start together). Appends waiting at the
 * same time go as one `tollgate_append` call (one round trip, one commit); reads of all
 * events see only finished writers (pgReads.ts), so subscriptions — woken by this node's
 * commits directly, by other nodes' NOTIFY (pgNotifier.ts, pgCommitListener.ts), and by a
 * poll — never skip or repeat.
 */
export async function createPostgresEventStore(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
  const { connectionString, clock = () => new Date() } = options;
  const upcast = createUpcaster(options.upcasters ?? defaultUpcasters);
  const nodeId = randomUUID();
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 8,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'tollgate',
  });
  // An idle connection that breaks emits here; without a listener it would crash the process.
  // The next query gets a fresh connection or a StoreUnavailableError.
  pool.on('error', () => undefined);

  const client = await pool.connect().catch(async (error: unknown) => {
    await pool.end().catch(() => undefined);
    throw toPortError(error, 'open');
  });
  try {
    await migrate(client);
  } catch (error) {
    client.release(true);
    await pool.end().catch(() => undefined);
    throw toPortError(error, 'migration');
  }
  client.release();

  let closing = false;
  let closed = false;
  /** Transaction id of this node's last commit: reads of all events wait until it is visible. */
  let ownXid = 0n;
  const listeners = new Set<{ filter: EventFilter | undefined; listener: (committed: CommittedAppends) => void }>();
  const subscriptions = new Set<CatchUpSubscription>();

  const signal = (committed: CommittedAppends | undefined): void => {
    for (const { filter, listener } of listeners) {
      // "Anything": an entry every filter matches (its first prefix, its types).
      listener(committed ?? [{ streamName: filter?.streamPrefixes?.[0] ?? '', types: filter?.eventTypes ?? [] }]);
    }
  };
  const commitListener = createCommitListener({ connectionString, nodeId, onCommitted: signal });
  const notifier = createCommitNotifier(pool, nodeId);
  await commitListener.start();

  const run = async <T>(action: string, fn: () => Promise<T>): Promise<T> => {
    if (closed) throw new StoreUnavailableError('Event store is closed');
    try {
      return await fn();
    } catch (error) {
      throw toPortError(error, action);
    }
  };

  const writeBatch = async (batch: PendingAppend[]): Promise<void> => {
    const committed: CommittedAppends = batch.map(({ streamName, rows }) => ({ streamName, types: rows.map((row) => row.type) }));
    const { query, order } = appendBatchQuery(batch, clock());
    let decoded;
    try {
      const { rows } = await pool.query(query);
      decoded = decodeOutcomes(batch, order, rows);
    } catch (error) {
      // The statement is its own transaction: it was rolled back — unless the connection broke
      // during the commit itself, when the outcome is unknown (as with any server store): the
      // appends are reported failed, and a retry with new event ids may find them stored.
      for (const append of batch) {
        append.reject(toPortError(error, 'append', { streamName: append.streamName, expected: append.expectedRevision }));
      }
      return;
    }
    if (decoded.xid > ownXid) ownXid = decoded.xid;
    decoded.outcomes.forEach((outcome, i) => (outcome.ok ? batch[i]!.resolve(outcome.result) : batch[i]!.reject(outcome.error)));
    const written = committed.filter((_, i) => decoded.outcomes[i]!.ok);
    if (written.length > 0) {
      signal(written);
      notifier.announce(written);
    }
  };

  const groupCommit = options.groupCommit ?? true;
  const queue = createGroupCommitQueue<PendingAppend>({ maxBatchSize: options.maxBatchSize ?? 500, writeBatch });
  const inFlight = new Set<Promise<void>>();
  const send = (append: PendingAppend): void => {
    if (groupCommit) return queue.enqueue(append);
    // Group commit off: every append is its own call, as many at once as the pool allows.
    const writing = writeBatch([append]).finally(() => inFlight.delete(writing));
    inFlight.add(writing);
  };

  const ownWritesWaitMs = options.ownWritesWaitMs ?? 2000;
  /** A page of all events after a position, with the head; waits (bounded) until this node's own commits are visible. */
  const readPage = async (afterPosition: number, maxCount: number | null, filter?: EventFilter) => {
    const waitUntil = Date.now() + ownWritesWaitMs;
    for (;;) {
      const { rows } = await pool.query<PageRow>(readAllQuery(afterPosition, maxCount, filter));
      const xmin = BigInt(rows[0]!.xmin);
      if (xmin > ownXid || Date.now() >= waitUntil) {
        const events = rows.filter((row) => row.position != null).map((row) => upcast(toRecordedEvent(row as EventRow)));
        return { events, head: Number(rows[0]!.head) };
      }
      // An older writer is still in flight: this node's last commit is not readable yet.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };

  const enforceRetention = (now: Date): Promise<number> =>
    run('retention', async () => (await pool.query(retentionQuery(now))).rowCount ?? 0);
  const retentionIntervalMs = options.retentionIntervalMs ?? 3_600_000;
  const retentionTimer =
    retentionIntervalMs > 0
      ? setInterval(() => void enforceRetention(clock()).catch(() => undefined), retentionIntervalMs).unref()
      : undefined;

  return {
    kind: 'postgres',

    appendToStream(streamName, events, appendOptions) {
      const expectedRevision = appendOptions?.expectedRevision ?? 'any';
      return new Promise<AppendResult>((resolve, reject) => {
        if (closing) throw new StoreUnavailableError('Event store is closed');
        validateAppend(streamName, events, expectedRevision);
        const rows = events.map((event) => ({
          id: event.id,
          type: event.type,
          data: JSON.stringify(event.data),
          metadata: JSON.stringify(event.metadata),
        }));
        send({ streamName, expectedRevision, rows, resolve, reject });
      });
    },

    readStream: (streamName, readOptions = {}) =>
      run('read', async () => {
        const backwards = readOptions.direction === 'backwards';
        const from = readOptions.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
        const { rows } = await pool.query<EventRow>(readStreamQuery(streamName, backwards, from, readOptions.maxCount ?? null));
        return rows.map((row) => upcast(toRecordedEvent(row)));
      }),

    readAll: (readOptions = {}) =>
      run('read', async () => {
        if (readOptions.maxCount !== undefined && readOptions.maxCount <= 0) return [];
        return (await readPage(readOptions.afterPosition ?? 0, readOptions.maxCount ?? null, readOptions.filter)).events;
      }),

    subscribeToAll(subscribeOptions) {
      const subscription = createCatchUpSubscription(
        (after, maxCount) =>
          run('read', async () => {
            const { events, head } = await readPage(after, maxCount, subscribeOptions.filter);
            const last: RecordedEvent | undefined = events.at(-1);
            return { events, scannedTo: events.length < maxCount ? Math.max(head, after) : (last?.position ?? after) };
          }),
        (listener) => {
          const entry = { filter: subscribeOptions.filter, listener };
          listeners.add(entry);
          return () => listeners.delete(entry);
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

    headPosition: () => run('read', async () => (await readPage(Number.MAX_SAFE_INTEGER, 0)).head),

    setStreamMaxAge(streamName, maxAgeSeconds) {
      try {
        validateMaxAge(streamName, maxAgeSeconds);
      } catch (error) {
        return Promise.reject(error);
      }
      if (maxAgeSeconds > 2_147_483_647) {
        return Promise.reject(new TypeError(`setStreamMaxAge(${streamName}): invalid max age ${maxAgeSeconds}`));
      }
      return run('write', async () => void (await pool.query(setStreamMaxAgeQuery(streamName, maxAgeSeconds))));
    },

    enforceRetention: (now) => enforceRetention(now ?? clock()),

    ping: () => run('ping', async () => void (await pool.query('SELECT 1'))),

    async close() {
      if (closing) return;
      closing = true; // refuses new writes; reads go on until the subscriptions have stopped
      if (retentionTimer !== undefined) clearInterval(retentionTimer);
      await queue.drain();
      await Promise.all(inFlight);
      await notifier.drain();
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      closed = true;
      await commitListener.close();
      await pool.end().catch(() => undefined);
    },
  };
}
