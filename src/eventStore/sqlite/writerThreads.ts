import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starting SQLite writer threads. A thread is not tied to a file: a store sends `open` first
 * and `close` last, and a closed store hands its thread back here. One idle thread is kept
 * (unref'd: it never holds the process open) for the next store of the process, because a
 * thread costs ~60 ms to start compiled and ~350 ms under tsx, and the test suites open and
 * close hundreds of stores. A production process has one store and one thread.
 */

// Same extension as this module: `.ts` under tsx (tests, benches), `.js` once compiled to dist.
const extension = extname(fileURLToPath(import.meta.url));
const workerUrl = new URL(`./writerWorker${extension}`, import.meta.url);

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

/**
 * Node 20 does not apply the parent's module hooks (tsx's `--import`) to a worker, even with
 * the same execArgv (nodejs/node#47747), so under tsx a small bootstrap registers tsx in the
 * thread before importing the `.ts` worker. Compiled, the `.js` worker loads directly.
 */
function startWorker(): Worker {
  // execArgv is inherited, not passed: passing it explicitly would refuse per-process flags
  // such as --perf-basic-prof or --max-old-space-size (ERR_WORKER_INVALID_EXEC_ARGV).
  if (extension !== '.ts') return new Worker(workerUrl);
  const bootstrap = `import(${JSON.stringify(tsxEsmApiUrl())})
    .then(({ register }) => { register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/**
 * The ESM build of `tsx/esm/api` (its CommonJS build cannot register hooks from a worker), read
 * from tsx's own exports map: import.meta.resolve is missing when tsx runs this module as
 * CommonJS (as mocha's require does), and require.resolve picks the CommonJS build.
 */
function tsxEsmApiUrl(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: { './esm/api': { import: { default: string } } };
  };
  return new URL(exports['./esm/api'].import.default, pathToFileURL(manifest)).href;
}
