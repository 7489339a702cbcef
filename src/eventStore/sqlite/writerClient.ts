import type { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../eventStore.js';
import { acquireWriterThread, releaseWriterThread } from './writerThreads.js';
import {
  fromWireError,
  type WriterCall,
  type WriterCalls,
  type WriterConfig,
  type WriterReply,
  type WriterRequest,
} from './writerProtocol.js';

/**
 * The main thread's handle on a store's SQLite writer thread: request/reply over postMessage.
 * The thread is taken with the first request (a store only read from never takes one) and
 * again after a crash: a thread that exits unexpectedly rejects what it had not answered with
 * StoreUnavailableError (such a write may or may not have committed, as with any lost
 * connection), and the next request gets a new thread.
 */
export interface WriterClient {
  call<K extends WriterCall>(call: K, request: WriterCalls[K]['request']): Promise<WriterCalls[K]['reply']>;
  /** Waits for the answers to everything sent, closes the writer's connection, gives the thread back. */
  close(): Promise<void>;
  /** The thread in use, if any: exposed so a test can kill it as a crash would. */
  readonly worker: Worker | undefined;
}

type Waiting = { resolve(value: unknown): void; reject(error: unknown): void };

export function createWriterClient(config: WriterConfig): WriterClient {
  let worker: Worker | undefined;
  let closed = false;
  let nextId = 1;
  const pending = new Map<number, Waiting>();

  const onMessage = (reply: WriterReply): void => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (pending.size === 0) worker?.unref();
    if (reply.ok) waiting?.resolve(reply.value);
    else waiting?.reject(fromWireError(reply.error));
  };
  // Without an 'error' listener an uncaught error in the thread would crash this process.
  let crash: unknown;
  const onError = (error: unknown): void => void (crash = error);
  const onExit = (code: number): void => {
    detach();
    const reason = crash instanceof Error ? crash.message : `exit code ${code}`;
    crash = undefined;
    const failure = new StoreUnavailableError(
      `Event store write failed: the SQLite writer thread for ${config.file} stopped (${reason})`,
    );
    for (const waiting of pending.values()) waiting.reject(failure);
    pending.clear();
  };
  const detach = (): Worker | undefined => {
    const detached = worker?.off('message', onMessage).off('error', onError).off('exit', onExit);
    worker = undefined;
    return detached;
  };

  const send = <K extends WriterCall>(
    name: K,
    request: WriterCalls[K]['request'],
  ): Promise<WriterCalls[K]['reply']> =>
    new Promise((resolve, reject) => {
      if (worker === undefined) {
        worker = acquireWriterThread().on('message', onMessage).on('error', onError).on('exit', onExit);
        void send('open', config).catch(() => undefined); // its failure fails the next request too
      }
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      // Keep the process alive while a write is unanswered, not while the thread idles.
      worker.ref();
      worker.postMessage({ id, call: name, ...request } as WriterRequest);
    });

  return {
    call(name, request) {
      if (closed) return Promise.reject(new StoreUnavailableError(`Event store ${config.file} is closed`));
      return send(name, request);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (worker === undefined) return;
      // Answered after everything sent before it: the writer handles messages in order.
      const closedCleanly = await send('close', {}).then(() => true, () => false);
      const thread = detach();
      if (thread !== undefined) await (closedCleanly ? releaseWriterThread(thread) : thread.terminate());
    },
    get worker() {
      return worker;
    },
  };
}
