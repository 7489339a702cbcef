import { createPrivateKey, type KeyObject } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createKeys } from '../../src/keys/keyStore.js';
import { privateKeyFile } from '../../src/keys/keyManifest.js';
import type { SigningAlg } from '../../src/keys/keyAlgorithms.js';
import { startChildServer, type ChildServer } from './childServer.js';
import { freePort } from './freePort.js';

/** Credentials both servers know their one confidential client by. */
export const BENCH_CLIENT_ID = 'bench-client-000000000001';
export const BENCH_CLIENT_SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuv';
export const BENCH_ADMIN_PASSWORD = 'bench-admin-password-1';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const TOLLGATE_SOURCE = here('../servers/tollgateServer.ts');
const REPO_ROOT = here('../..');
const TOLLGATE_COMPILED = join(REPO_ROOT, 'dist-bench/bench/servers/tollgateServer.js');

/**
 * Tollgate runs as `npm start` runs it: compiled by tsc and started with plain node (with
 * --enable-source-maps), not through tsx, whose esbuild output differs (e.g. `keepNames` gives
 * every inner named function a defineProperty call each time it is created). The build goes
 * to dist-bench/ (tsconfig.bench.json: the sources plus the bench's server entry) once per
 * bench process, so a bench never runs stale code. BENCH_RUN_TS=1 runs the TypeScript
 * sources under tsx instead, as the benches did up to the ninth round.
 */
let compiled: Promise<void> | undefined;
const compileOnce = (): Promise<void> =>
  (compiled ??= promisify(execFile)(
    process.execPath,
    [join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc'), '-p', join(REPO_ROOT, 'tsconfig.bench.json')],
    { cwd: REPO_ROOT },
  ).then(() => undefined));
const runTypeScript = (): boolean => process.env['BENCH_RUN_TS'] === '1';
const PEER_SCRIPT = here('../servers/oidcProviderServer.mjs');
const FLOOR_SCRIPT = here('../servers/floorServer.mjs');

/** A temp directory with one signing key, shared by Tollgate, the peer and the signing probe. */
export interface BenchKeys {
  readonly dir: string;
  readonly keysDir: string;
  readonly alg: SigningAlg;
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwkFile: string;
  remove(): Promise<void>;
}

export async function createBenchKeys(alg: SigningAlg): Promise<BenchKeys> {
  const dir = await mkdtemp(join(tmpdir(), 'tollgate-bench-'));
  const keysDir = join(dir, 'keys');
  const kid = await createKeys(keysDir, alg);
  const privateKey = createPrivateKey(readFileSync(privateKeyFile(keysDir, kid), 'utf8'));
  const jwkFile = join(dir, 'peer-key.json');
  writeFileSync(jwkFile, JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' }), { mode: 0o600 });
  return { dir, keysDir, alg, kid, privateKey, jwkFile, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface TollgateStart {
  /** A fresh DATA_DIR name under the keys' temp dir (each start gets its own store). */
  dataDirName: string;
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** How long to wait for READY (a start on a big store replays it first); default 30 s. */
  startTimeoutMs?: number;
}

/** Tollgate on the embedded defaults in production mode, keys present, logging silenced. */
export async function startTollgateChild(keys: BenchKeys, start: TollgateStart): Promise<ChildServer> {
  const port = String(await freePort());
  if (!runTypeScript()) await compileOnce();
  return startChildServer({
    name: 'tollgate',
    script: runTypeScript() ? TOLLGATE_SOURCE : TOLLGATE_COMPILED,
    nodeArgs: [...(start.nodeArgs ?? []), ...(runTypeScript() ? ['--import', 'tsx'] : ['--enable-source-maps'])],
    ...(start.startTimeoutMs !== undefined && { startTimeoutMs: start.startTimeoutMs }),
    env: {
      PORT: port,
      HOST: '127.0.0.1',
      ISSUER: `http://127.0.0.1:${port}`,
      DATA_DIR: join(keys.dir, start.dataDirName),
      KEYS_DIR: keys.keysDir,
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      TOKEN_SIGNING_ALG: keys.alg,
      ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
      BOOTSTRAP_CLIENT_ID: BENCH_CLIENT_ID,
      BOOTSTRAP_CLIENT_SECRET: BENCH_CLIENT_SECRET,
      // Compare signing set-ups: SIGNING_THREADS=0 npm run bench (node:crypto's thread pool).
      ...(process.env['SIGNING_THREADS'] !== undefined ? { SIGNING_THREADS: process.env['SIGNING_THREADS'] } : {}),
      // Compare heap policies: HEAP_GROWING_PERCENT=0 npm run bench:history (V8's own growth factor).
      ...(process.env['HEAP_GROWING_PERCENT'] !== undefined ? { HEAP_GROWING_PERCENT: process.env['HEAP_GROWING_PERCENT'] } : {}),
      // Memory and event-loop delay samples to a file (bench/lib/serverProbe.ts); off by default.
      ...(process.env['BENCH_PROBE_FILE'] !== undefined ? { BENCH_PROBE_FILE: process.env['BENCH_PROBE_FILE'] } : {}),
      ...start.env,
    },
  });
}

/** node-oidc-provider with the same key and client, in-memory. */
export async function startPeerChild(keys: BenchKeys): Promise<ChildServer> {
  return startChildServer({
    name: 'oidc-provider',
    script: PEER_SCRIPT,
    env: {
      PORT: String(await freePort()),
      NODE_ENV: 'production',
      BENCH_JWK_FILE: keys.jwkFile,
      BENCH_CLIENT_ID,
      BENCH_CLIENT_SECRET,
    },
  });
}

/**
 * The floor: bare node:http signing an RS256 JWS per request with the same key, storing
 * nothing; with `store`, also appending one row per token durably to SQLite before answering
 * (bench/servers/floorServer.mjs).
 */
export async function startFloorChild(keys: BenchKeys, mode: 'sign' | 'store' = 'sign'): Promise<ChildServer> {
  return startChildServer({
    name: mode === 'sign' ? 'floor' : 'floor+store',
    script: FLOOR_SCRIPT,
    env: { PORT: String(await freePort()), FLOOR_MODE: mode, BENCH_JWK_FILE: keys.jwkFile },
  });
}
