import type { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../eventStore/eventStore.js';
import { moduleSibling, startModuleWorker } from '../eventStore/sqlite/startModuleWorker.js';
import type { ClientDirectory } from './actorDescription.js';
import type { AuditReader } from './auditReader.js';
import {
  fromReaderWireError,
  type FromReader,
  type ReaderCall,
  type ReaderCalls,
  type ReaderConfig,
  type ReaderThreadStatus,
  type ToReader,
} from './readerProtocol.js';

// Same extension as this module: `.ts` under tsx (tests, benches), `.js` once compiled to dist.
const workerUrl = moduleSibling(import.meta.url, 'readerWorker');

/**
 * The thread's V8 heap limits. An export holds one page (≤ 100 entries) at a time, so a small
 * young generation is enough: its garbage is collected often and the process's memory stays
 * flat. Measured (4 exports of 60,000 events at once, compiled): young 8 MB grew the process
 * by 37 MB and took 24 s, young 2 MB by 26 MB in 14 s. The old generation's cap leaves room for
 * a page of 100 entries of the largest events (64 kB bodies), and makes a runaway thread die
 * (and be replaced) instead of growing the process.
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 };
/**
 * An export's shared page buffer: a page of 100 entries of usual events is 30–60 kB of JSON
 * Lines; a larger page comes back as bytes of its own.
 */
const EXPORT_SLOT_BYTES = 256 * 1024;
/** The thread's SQLite page cache (KiB): reads are chunked and the OS caches the file anyway. */
const CACHE_SIZE_KIB = 2000;

export interface ThreadAuditReaderOptions {
  /** The SQLite store file (opened by the main thread's store first). */
  file: string;
  /** Answers the thread's client id → application id questions (the main thread's state cache). */
  clients: ClientDirectory;
  /** Told once per thread when the OS refused the low priority (the reads go on at normal priority). */
  onNotice?: (message: string) => void;
}

export interface ThreadAuditReader extends AuditReader {
  /** The running thread's OS thread id and niceness (starts the thread if none runs). */
  threadStatus(): Promise<ReaderThreadStatus>;
  /** The thread in use, if any: exposed so a test can kill it as a crash would. */
  readonly worker: Worker | undefined;
  /** Requests sent to the running thread and not answered yet (a test waits for one in flight). */
  readonly inFlight: number;
}

type Waiting = { resolve(value: unknown): void; reject(error: unknown): void };
interface Thread {
  worker: Worker;
  pending: Map<number, Waiting>;
  started: Promise<ReaderThreadStatus>;
}

const unavailable = (why: string): StoreUnavailableError => new StoreUnavailableError(`Audit reads failed: ${why}`);

/**
 * History reads on one reader thread (readerWorker.ts), started with the first read and again
 * after a crash: a thread that exits unexpectedly rejects what it had not answered, and the
 * exports it was serving, with StoreUnavailableError (503, no internals); the next request gets
 * a new thread. The thread is ref'd only while a request waits for it, so it never holds the
 * process open; `close` terminates it.
 */
export function createThreadAuditReader(options: ThreadAuditReaderOptions): ThreadAuditReader {
  let thread: Thread | undefined;
  let closed = false;
  let nextId = 1;

  const start = (): Thread => {
    const config: ReaderConfig = { file: options.file, cacheSizeKib: CACHE_SIZE_KIB };
    const worker = startModuleWorker(workerUrl, {
      workerData: config,
      resourceLimits: RESOURCE_LIMITS,
      name: 'tollgate-audit-reader',
    });
    worker.unref();
    const pending = new Map<number, Waiting>();
    let markStarted!: (status: ReaderThreadStatus) => void;
    const started = new Promise<ReaderThreadStatus>((resolve) => (markStarted = resolve));
    const current: Thread = { worker, pending, started };
    let crash: unknown;
    worker.on('message', (message: FromReader) => {
      if (message.type === 'started') {
        if (message.status.niceness === null) options.onNotice?.('audit reader thread runs at normal priority (the OS refused a lower one)');
        markStarted(message.status);
      } else if (message.type === 'client') {
        void options.clients(message.clientId).then(
          (applicationId): ToReader => ({ type: 'client', id: message.id, applicationId }),
          (): ToReader => ({ type: 'client', id: message.id, applicationId: null, failed: true }),
        ).then((answer) => worker.postMessage(answer));
      } else {
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        if (pending.size === 0) worker.unref();
        if (message.ok) waiting?.resolve(message.value);
        else waiting?.reject(fromReaderWireError(message.error));
      }
    });
    // Without an 'error' listener an uncaught error in the thread would crash this process.
    worker.on('error', (error: unknown) => void (crash = error));
    worker.on('exit', () => {
      if (thread === current) thread = undefined;
      // Logged by the error middleware, never sent: the client gets the generic 503.
      const reason = crash instanceof Error ? crash.message : 'it exited';
      crash = undefined;
      const failure = unavailable(`the audit reader thread stopped (${reason})`);
      for (const waiting of pending.values()) waiting.reject(failure);
      pending.clear();
      markStarted({ tid: null, niceness: null });
    });
    return current;
  };

  const current = (): Thread => {
    if (closed) throw unavailable('the audit reader is closed');
    return (thread ??= start());
  };

  const send = <K extends ReaderCall>(on: Thread, call: K, request: ReaderCalls[K]['request']): Promise<ReaderCalls[K]['reply']> =>
    new Promise((resolve, reject) => {
      if (thread !== on) {
        reject(unavailable('the audit reader thread stopped; retry'));
        return;
      }
      const id = nextId++;
      on.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      // Keep the process alive while a read is unanswered, not while the thread idles.
      on.worker.ref();
      on.worker.postMessage({ type: 'call', id, call, ...request } as ToReader);
    });

  const call = <K extends ReaderCall>(name: K, request: ReaderCalls[K]['request']): Promise<ReaderCalls[K]['reply']> => {
    try {
      return send(current(), name, request);
    } catch (error) {
      return Promise.reject(error);
    }
  };

  async function* exportPages(query: Parameters<AuditReader['exportPages']>[0], format: Parameters<AuditReader['exportPages']>[1]) {
    const on = current();
    const exportId = nextId; // exportOpen's request id names the export
    // One buffer for the whole export, shared with the thread: every page is written into it,
    // so the main thread allocates nothing per page. A page is yielded as a view of it, valid
    // until the next page is asked for (the AuditReader contract; writeExport keeps it).
    const slot = new SharedArrayBuffer(EXPORT_SLOT_BYTES);
    await send(on, 'exportOpen', { query, format });
    let complete = false;
    try {
      for (;;) {
        const page = await send(on, 'exportNext', { exportId, slot });
        if (page === null) {
          complete = true;
          return;
        }
        yield typeof page === 'number' ? Buffer.from(slot, 0, page) : page;
      }
    } finally {
      // A consumer that stopped early (a client gone): the thread forgets the export.
      if (!complete && thread === on) void send(on, 'exportClose', { exportId }).catch(() => undefined);
    }
  }

  return {
    readHistoryPage: (query, cursor) => call('page', { query, ...(cursor !== undefined && { cursor }) }),
    readHistoryPageJson: (query, cursor) => call('pageJson', { query, ...(cursor !== undefined && { cursor }) }),
    exportPages,
    async threadStatus() {
      return current().started;
    },
    async close() {
      closed = true;
      const running = thread;
      thread = undefined;
      if (running !== undefined) await running.worker.terminate();
    },
    get worker() {
      return thread?.worker;
    },
    get inFlight() {
      return thread?.pending.size ?? 0;
    },
  };
}
