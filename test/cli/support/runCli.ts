import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MAIN = 'src/cli/main.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `tollgate <args>` in a child process (as `npm run tollgate --` runs it), with `env` only and optional stdin. */
export function runCli(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CliRun> {
  return collect(spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'silent', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  }), stdin);
}

/**
 * The same on a pseudo-terminal (util-linux `script`), for what only a terminal gets: the
 * progress bar. Output of both streams arrives together.
 */
export function runCliOnTerminal(args: string[], env: Record<string, string>, answers: Array<[prompt: string, reply: string]> = []): Promise<CliRun> {
  const command = [process.execPath, '--import', 'tsx', MAIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['--echo', 'never', '-qefc', command, '/dev/null'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'silent', TERM: 'dumb', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Each reply is typed only once its prompt is on the screen, as a person would.
  let seen = 0;
  let pending = [...answers];
  child.stdout!.on('data', (c: Buffer) => {
    seen += c.length;
    const [next] = pending;
    if (next && screen(child).includes(next[0], answered)) {
      answered = screen(child).indexOf(next[0], answered) + next[0].length;
      pending = pending.slice(1);
      child.stdin!.write(next[1]);
      if (pending.length === 0) child.stdin!.end();
    }
  });
  let answered = 0;
  if (answers.length === 0) child.stdin!.end();
  return collect(child, undefined, false);
}

const screens = new WeakMap<object, string>();
const screen = (child: object): string => screens.get(child) ?? '';

function collect(child: ReturnType<typeof spawn>, stdin?: string, endStdin = true): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout!.prependListener('data', (c: Buffer) => {
    stdout += c.toString();
    screens.set(child, stdout);
  });
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  if (endStdin) child.stdin!.end(stdin ?? '');
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
