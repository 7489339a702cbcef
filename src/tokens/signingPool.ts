import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SigningKey } from '../keys/keyRing.js';

/**
 * Signing threads for the token endpoint. node:crypto's callback `sign` runs the RSA maths on
 * the thread pool but still spends ~55 µs of the event loop per signature preparing the job;
 * here the event loop only posts the signing input (in batches, one message per thread per
 * turn) and the threads sign synchronously, so the loop is free for HTTP and the store.
 * The thread code is plain JavaScript evaluated in the thread: nothing to compile or load.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { sign } = require('node:crypto');
const { key, digest, p1363 } = workerData;
const signingKey = p1363 ? { key, dsaEncoding: 'ieee-p1363' } : key;
parentPort.on('message', (batch) => {
  const out = new Array(batch.length);
  for (let i = 0; i < batch.length; i += 2) {
    out[i] = batch[i];
    try {
      out[i + 1] = sign(digest, Buffer.from(batch[i + 1]), signingKey).toString('base64url');
    } catch (error) {
      out[i + 1] = { error: String(error && error.message || error) };
    }
  }
  parentPort.postMessage(out);
});
`;

/**
 * Messages are flat lists, which the structured clone copies faster than lists of pairs: to a
 * thread, id and signing input after id and signing input; back, id and signature (or
 * `{ error }`) likewise.
 */
type Batch = Array<number | string>;
type Replies = Array<number | string | { error: string }>;

interface Thread {
  worker: Worker;
  inFlight: Map<number, { resolve(signature: string): void; reject(error: Error): void }>;
}

export interface SigningPool {
  /** The base64url signature of a JWS signing input. */
  sign(input: string): Promise<string>;
  close(): Promise<void>;
}

export function createSigningPool(key: SigningKey, size = Math.max(1, availableParallelism())): SigningPool {
  const workerData = { key: key.keyObject, digest: key.alg === 'EdDSA' ? null : 'sha256', p1363: key.alg === 'ES256' };
  let nextId = 0;
  let closed = false;
  let queued: Batch = [];
  const waiting = new Map<number, { resolve(signature: string): void; reject(error: Error): void }>();
  let flushScheduled = false;

  const start = (): Thread => {
    const thread: Thread = { worker: new Worker(THREAD_SOURCE, { eval: true, workerData }), inFlight: new Map() };
    thread.worker.unref(); // never keeps the process alive
    thread.worker.on('message', (replies: Replies) => {
      for (let i = 0; i < replies.length; i += 2) {
        const id = replies[i] as number;
        const signature = replies[i + 1]!;
        const pending = thread.inFlight.get(id);
        thread.inFlight.delete(id);
        if (!pending) continue;
        if (typeof signature === 'string') pending.resolve(signature);
        else pending.reject(new Error(`signing failed: ${(signature as { error: string }).error}`));
      }
    });
    const fail = (error: Error): void => {
      for (const pending of thread.inFlight.values()) pending.reject(error);
      thread.inFlight.clear();
      const index = threads.indexOf(thread);
      if (index >= 0 && !closed) threads[index] = start(); // replace the lost thread
    };
    thread.worker.on('error', fail);
    thread.worker.on('exit', (code) => fail(new Error(`signing thread exited (${code})`)));
    return thread;
  };
  const threads: Thread[] = Array.from({ length: size }, start);

  const flush = (): void => {
    flushScheduled = false;
    if (queued.length === 0) return;
    // Spread the turn's signatures over the threads, the least busy first.
    const order = [...threads].sort((a, b) => a.inFlight.size - b.inFlight.size);
    const share = 2 * Math.ceil(queued.length / 2 / order.length);
    for (let t = 0; t < order.length && queued.length > 0; t++) {
      const batch = queued.splice(0, share);
      const thread = order[t]!;
      for (let i = 0; i < batch.length; i += 2) {
        const id = batch[i] as number;
        thread.inFlight.set(id, waiting.get(id)!);
        waiting.delete(id);
      }
      thread.worker.postMessage(batch);
    }
  };

  return {
    sign(input) {
      if (closed) return Promise.reject(new Error('signing pool closed'));
      const id = nextId++;
      const promise = new Promise<string>((resolve, reject) => waiting.set(id, { resolve, reject }));
      queued.push(id, input);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
      return promise;
    },
    async close() {
      closed = true;
      flush();
      // Let in-flight signatures finish, then stop the threads.
      await Promise.all(
        threads.map(async (thread) => {
          while (thread.inFlight.size > 0) await new Promise((r) => setTimeout(r, 5));
          thread.worker.removeAllListeners('exit');
          await thread.worker.terminate();
        }),
      );
      queued = [];
    },
  };
}
