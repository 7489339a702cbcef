import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread from a module of this code base (the SQLite writer thread, the audit
 * reader thread). Callers name the module with their own extension: `.ts` under tsx (tests,
 * benches), `.js` once compiled to dist (`moduleSibling`).
 *
 * Node 20 does not apply the parent's module hooks (tsx's `--import`) to a worker, even with
 * the same execArgv (nodejs/node#47747), so under tsx a small bootstrap registers tsx in the
 * thread before importing the `.ts` worker. Compiled, the `.js` worker loads directly.
 * execArgv is inherited, not passed: passing it explicitly would refuse per-process flags
 * such as --perf-basic-prof or --max-old-space-size (ERR_WORKER_INVALID_EXEC_ARGV).
 */
export function startModuleWorker(workerUrl: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (extname(fileURLToPath(workerUrl)) !== '.ts') return new Worker(workerUrl, options);
  const bootstrap = `import(${JSON.stringify(tsxEsmApiUrl())})
    .then(({ register }) => { register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** `./<name>` next to the module at `moduleUrl`, with that module's extension (`.ts` under tsx, `.js` compiled). */
export function moduleSibling(moduleUrl: string, name: string): URL {
  return new URL(`./${name}${extname(fileURLToPath(moduleUrl))}`, moduleUrl);
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
