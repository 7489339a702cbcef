import { spawnSync } from 'node:child_process';
import { spawnServer, waitForListening, type ServerProcess } from '../../support/serverProcess.js';
import type { TempDir } from '../../support/tempDir.js';
import { BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET, ADMIN_PASSWORD, freePort } from '../../support/tollgateServer.js';

/** Tollgate as a real child process (src/main.ts) on a fixed port and DATA_DIR, restartable. */
export interface ChildTollgate {
  readonly url: string;
  readonly process: ServerProcess;
  start(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function childTollgate(dir: TempDir, extraEnv: Record<string, string> = {}): Promise<ChildTollgate> {
  const port = await freePort();
  const env = {
    PORT: String(port),
    DATA_DIR: dir.file('var'),
    KEYS_DIR: dir.file('keys'),
    ADMIN_PASSWORD,
    BOOTSTRAP_CLIENT_ID,
    BOOTSTRAP_CLIENT_SECRET,
    NODE_ENV: 'test',
    ...extraEnv,
  };
  let current: ServerProcess | undefined;
  const self: ChildTollgate = {
    url: `http://127.0.0.1:${port}`,
    get process() {
      if (!current) throw new Error('not started');
      return current;
    },
    async start() {
      current = spawnServer(env);
      await waitForListening(current);
    },
    async kill(signal = 'SIGKILL') {
      if (!current || current.child.exitCode !== null || current.child.signalCode !== null) return;
      current.child.kill(signal);
      await current.exited;
    },
  };
  return self;
}

/**
 * Sets the soft RLIMIT_FSIZE of a running process (`prlimit`, util-linux): with 0, every write
 * to a regular file fails with EFBIG, as on a full disk; `unlimited` lifts it. The hard
 * limit stays unlimited, so no privilege is needed to lift it again.
 */
export function setFileSizeLimit(pid: number, soft: number | 'unlimited'): void {
  const result = spawnSync('prlimit', ['--pid', String(pid), `--fsize=${soft}:unlimited`], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`prlimit failed: ${result.stderr || result.error?.message}`);
}

export const hasPrlimit = (): boolean => spawnSync('prlimit', ['--version']).status === 0;
