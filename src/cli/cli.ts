import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { StoreUnavailableError } from '../eventStore/eventStore.js';
import { CliError, EXIT, type ExitCode } from './exitCodes.js';
import { HELP } from './help.js';
import { readSecret } from './readSecret.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: NodeJS.WriteStream | { isTTY?: boolean; write(text: string): unknown };
  readPassword: (prompt: string) => Promise<string>;
}

type Command = (config: Config, args: string[], io: CliIo, out: (line: string) => void) => Promise<void>;

/**
 * Every command: its words, its positional arguments, what it runs. Commands load their
 * modules (store and read-model drivers) when run, so help and usage errors answer at once.
 */
const COMMANDS: Record<string, { args: string[]; run: Command }> = {
  'keys generate': { args: [], run: async (config, _args, _io, out) => (await import('./keysCommands.js')).keysGenerate(config, out) },
  'keys rotate': { args: [], run: async (config, _args, _io, out) => (await import('./keysCommands.js')).keysRotate(config, out) },
  'projections rebuild': {
    args: [],
    run: async (config, _args, io, out) =>
      (await import('./projectionsCommands.js')).projectionsRebuild(config, out, {
        isTTY: io.stderr.isTTY === true,
        write: (text) => void io.stderr.write(text),
      }),
  },
  'users unlock': {
    args: ['username'],
    run: async (config, [username], _io, out) => (await import('./usersCommands.js')).usersUnlock(config, username!, out),
  },
  'users reset-password': {
    args: ['username'],
    run: async (config, [username], io, out) =>
      (await import('./usersCommands.js')).usersResetPassword(config, username!, () => io.readPassword(`New password for ${username}: `), out),
  },
};

const GROUPS = new Set(Object.keys(COMMANDS).map((name) => name.split(' ')[0]!));

/** Runs one command line; returns the exit code (it never calls process.exit itself). */
export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  const fail = (code: ExitCode, message: string): ExitCode => {
    io.stderr.write(`tollgate: ${message}\n`);
    return code;
  };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    return fail(EXIT.usage, `${(error as Error).message}\nRun "tollgate --help".`);
  }
  const words = parsed.positionals;
  const group = words[0] ?? '';
  const name = words.slice(0, 2).join(' ');
  const command = COMMANDS[name];

  if (parsed.values.help) {
    io.stdout(HELP[command ? name : GROUPS.has(group) ? group : ''] ?? HELP['']!);
    return EXIT.ok;
  }
  if (words.length === 0) return fail(EXIT.usage, `missing command

${HELP['']}`);
  if (!command && words.length === 1 && GROUPS.has(group)) return fail(EXIT.usage, `${group}: missing command

${HELP[group]}`);
  if (!command) {
    if (GROUPS.has(group)) return fail(EXIT.usage, `unknown command "${name}"\n\n${HELP[group]}`);
    return fail(EXIT.usage, `unknown command "${group}"\n\n${HELP['']}`);
  }
  const args = words.slice(2);
  if (args.length !== command.args.length) {
    const why = args.length < command.args.length ? `missing <${command.args[args.length]}>` : `unexpected argument "${args[command.args.length]}"`;
    return fail(EXIT.usage, `${name}: ${why}\n\n${HELP[name]}`);
  }

  try {
    const config = loadConfig(io.env);
    await command.run(config, args, io, (line) => io.stdout(`${line}\n`));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CliError) return fail(error.exitCode, error.message);
    if (error instanceof ConfigError) return fail(EXIT.config, error.message);
    if (error instanceof StoreUnavailableError) return fail(EXIT.unavailable, error.message);
    return fail(EXIT.failure, `${name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The real process's streams. */
export const processIo = (): CliIo => ({
  env: process.env,
  stdout: (text) => void process.stdout.write(text),
  stderr: process.stderr,
  readPassword: (prompt) => readSecret(prompt),
});
