/**
 * Exit codes of `tollgate` (README, "Operator command line"). Scripts can tell "fix your
 * command" (2), "fix the configuration" (3), "no such thing" (4), "the store is down, retry"
 * (5) and "refused, nothing changed" (6) from a bug (1).
 */
export const EXIT = {
  ok: 0,
  /** Unexpected failure (logged to stderr without a stack). */
  failure: 1,
  /** Unknown command or option, missing or extra argument. */
  usage: 2,
  /** The environment does not validate (same rules and messages as the server). */
  config: 3,
  /** The user, or the keys to rotate, do not exist. */
  notFound: 4,
  /** The event store or read model does not answer. */
  unavailable: 5,
  /** Refused by a rule (weak password, keys already exist); nothing was changed. */
  refused: 6,
  /** Interrupted (Ctrl-C at a prompt). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the command line reports as one line on stderr with its exit code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
