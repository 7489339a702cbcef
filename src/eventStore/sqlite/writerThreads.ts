import type { Worker } from 'node:worker_threads';
import { moduleSibling, startModuleWorker } from './startModuleWorker.js';

/**
 * Starting SQLite writer threads. A thread is not tied to a file: a store sends `open` first
 * and `close` last, and a closed store hands its thread back here. One idle thread is kept
 * (unref'd: it never holds the process open) for the next store of the process, because a
 * thread costs ~60 ms to start compiled and ~350 ms under tsx, and the test suites open and
 * close hundreds of stores. A production process has one store and one thread.
 */

// Same extension as this module: `.ts` under tsx (tests, benches), `.js` once compiled to dist.
const workerUrl = moduleSibling(import.meta.url, 'writerWorker');

let spare: Worker | undefined;
const forgetSpare = (): void => void (spare = undefined);
const ignore = (): void => undefined;

/** A thread for one store: the idle one if there is one, else a new one. */
export function acquireWriterThread(): Worker {
  const idle = spare;
  if (idle === undefined) return startWorker();
  spare = undefined;
  idle.off('exit', forgetSpare).off('error', ignore);
  return idle;
}

/** Takes back the thread of a closed store (its connection already closed). */
export async function releaseWriterThread(worker: Worker): Promise<void> {
  if (spare !== undefined) {
    await worker.terminate();
    return;
  }
  worker.unref();
  spare = worker.on('exit', forgetSpare).on('error', ignore);
}

/** Starts a writer thread (under tsx through startModuleWorker's bootstrap). */
function startWorker(): Worker {
  return startModuleWorker(workerUrl);
}
