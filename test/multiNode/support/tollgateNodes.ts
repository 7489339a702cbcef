import { spawnServer, waitForListening, type ServerProcess } from '../../support/serverProcess.js';
import type { TempDir } from '../../support/tempDir.js';
import { ADMIN_PASSWORD, BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET, freePort, http } from '../../support/tollgateServer.js';

/** One Tollgate process (src/main.ts) of a cluster: its own port and DATA_DIR, the shared rest. */
export interface TollgateNode {
  readonly name: string;
  readonly url: string;
  readonly process: ServerProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `names.length` nodes at the same moment on one PostgreSQL database and one KEYS_DIR
 * (`shared` adds REDIS_URL, SMTP_URL…), and resolves when all listen.
 */
export async function startNodes(
  names: readonly string[],
  dir: TempDir,
  shared: Record<string, string>,
): Promise<TollgateNode[]> {
  const nodes = await Promise.all(
    names.map(async (name) => {
      const port = await freePort();
      const child = spawnServer({
        PORT: String(port),
        DATA_DIR: dir.file(`var-${name}`),
        KEYS_DIR: dir.file('keys'),
        ADMIN_PASSWORD,
        BOOTSTRAP_CLIENT_ID,
        BOOTSTRAP_CLIENT_SECRET,
        NODE_ENV: 'test',
        READ_YOUR_WRITES_TIMEOUT_MS: '5000',
        ...shared,
      });
      const node: TollgateNode = {
        name,
        url: `http://127.0.0.1:${port}`,
        process: child,
        async kill(signal = 'SIGTERM') {
          if (child.child.exitCode !== null || child.child.signalCode !== null) return;
          child.child.kill(signal);
          await child.exited;
        },
      };
      return node;
    }),
  );
  try {
    await Promise.all(nodes.map((node) => waitForListening(node.process, 60_000)));
  } catch (error) {
    await Promise.all(nodes.map((node) => node.kill('SIGKILL')));
    throw error;
  }
  return nodes;
}

export const form = (fields: Record<string, string>) => ({
  rawBody: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

export const tokenRequest = (url: string, fields: Record<string, string>) => http(url, 'POST', '/oauth2-token', form(fields));

/** Repeats `attempt` until `done` holds for its result (bounded by `timeoutMs`); returns the result and the time it took. */
export async function measureUntil<T>(
  attempt: () => Promise<T>,
  done: (result: T) => boolean,
  timeoutMs: number,
): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  for (;;) {
    const result = await attempt();
    const ms = performance.now() - started;
    if (done(result) || ms > timeoutMs) return { result, ms };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
