import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A server under test in its own process, so it never shares an event loop (or a core's
 * time slice) with the load generator. It must print `READY <url>` once listening and stop
 * on SIGTERM.
 */
export interface ChildServer {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Date.now() just before the process was spawned (≈ the start of a --cpu-prof profile). */
  readonly spawnedAt: number;
  stop(): Promise<void>;
}

export interface ChildServerOptions {
  name: string;
  script: string;
  /** Node options before the script, e.g. ['--import', 'tsx'] or ['--cpu-prof', ...]. */
  nodeArgs?: string[];
  env: Record<string, string>;
  startTimeoutMs?: number;
}

export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await waitForReady(child, options, () => stderr);
  return {
    name: options.name,
    url,
    pid: child.pid!,
    spawnedAt,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function waitForReady(child: ChildProcess, options: ChildServerOptions, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${options.name} did not start: ${why}\n${stderr()}`));
    };
    const timer = setTimeout(() => fail('timed out'), options.startTimeoutMs ?? 30_000);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited with ${code ?? signal}`);
    child.once('exit', onExit);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /^READY (\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.stdout!.resume();
        resolve(match[1]!);
      }
    });
  });
}
