import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real `redis-server` for tests, on a free port, in a temp dir. Honours REDIS_URL (then
 * stop/restart are unavailable: `canRestart` is false). Returns null when neither is there;
 * callers skip with `redisUnavailableReason`.
 */
export interface RedisServer {
  readonly url: string;
  readonly canRestart: boolean;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: acknowledged writes survive only with `appendOnly` (fsync always). */
  kill(): Promise<void>;
  /** Start again on the same port and data dir. */
  start(): Promise<void>;
  /** Stop and remove the data dir. */
  dispose(): Promise<void>;
}

export const redisUnavailableReason = 'no redis-server binary on PATH and REDIS_URL not set: skipping Redis tests';

export const hasRedisServerBinary = (): boolean => spawnSync('redis-server', ['--version']).status === 0;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function launch(port: number, dir: string, appendOnly: boolean): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--daemonize', 'no'];
  args.push('--appendonly', appendOnly ? 'yes' : 'no', '--appendfsync', 'always');
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.resume();
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output.slice(-500)}`)));
    child.once('error', reject);
  });
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));

export async function startRedisServer(options: { appendOnly?: boolean } = {}): Promise<RedisServer | null> {
  const external = process.env.REDIS_URL;
  if (external) {
    const unsupported = async (): Promise<void> => {
      throw new Error('REDIS_URL is external: cannot stop or restart it');
    };
    return { url: external, canRestart: false, stop: unsupported, kill: unsupported, start: unsupported, dispose: async () => {} };
  }
  if (!hasRedisServerBinary()) return null;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-redis-'));
  const appendOnly = options.appendOnly ?? false;
  let child: ChildProcess | undefined = await launch(port, dir, appendOnly);
  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    if (!child) return;
    const c = child;
    child = undefined;
    c.kill(sig);
    await exited(c);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    canRestart: true,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    async start() {
      if (!child) child = await launch(port, dir, appendOnly);
    },
    async dispose() {
      await signal('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
