import type { ExistingApplication } from '../domain/application/applicationEvents.js';
import { toUserStreamName } from '../domain/shared/streamNames.js';
import type { LoginLockoutPolicy } from '../domain/user/loginLockout.js';
import type { RecordLoginFailure, RecordLoginSuccess } from '../domain/user/userCommands.js';
import { userDecider } from '../domain/user/userDecider.js';
import type { CommandHandler } from '../commands/commandHandler.js';
import { command } from './refreshTokens.js';
import { clientMetadata, type RequestInfo } from './requestInfo.js';
import type { StateCache } from './stateCache.js';

/**
 * Records sign-in outcomes on the user's stream off the response path, as Keycloak's
 * brute-force protector does: the grant answers first, the record starts on a later turn of
 * the event loop, so an existing user's wrong password costs the caller what an unknown
 * user's costs. Per user the records are written one after the other (no self-inflicted
 * concurrency conflicts under a parallel attack). A password check in progress counts as a
 * failure until it is known (`begin`), and so does a failure not yet written: the grant counts
 * `pendingFailures` as written, so of a burst of parallel guesses at most LOGIN_FAILURE_LIMIT
 * are checked on this node, not as many as arrive before the writes catch up. A record that
 * fails is reported through `onError` (logged) and never reaches the client.
 */
export interface LoginAttemptContext {
  application: ExistingApplication;
  request: RequestInfo;
  now: Date;
}

/** One password check; exactly one of its methods is called once it is known. */
export interface LoginAttempt {
  failed(context: LoginAttemptContext): void;
  /** `record`: there is something to forget (failures or lockouts). */
  succeeded(context: LoginAttemptContext, record: boolean): void;
}

export interface LoginAttemptRecorder {
  /**
   * A password check starts: it counts as a pending failure until it is known. `observed`:
   * the failures the user's state counts now (the baseline pending failures add to).
   */
  begin(userId: string, observed?: number): LoginAttempt;
  pendingFailures(userId: string): number;
  /**
   * The failures to count for a user whose state shows `observed`: with failures pending,
   * their baseline plus the pending ones, or what the state shows if more. The state may
   * already show a failure whose record is still being acknowledged (another request read
   * the store meanwhile), so pending ones are added to the baseline, never to `observed`:
   * nothing is counted twice.
   */
  countedFailures(userId: string, observed: number): number;
  /** Resolves once everything accepted so far has been written (shutdown, tests). */
  idle(): Promise<void>;
}

export function createLoginAttemptRecorder(options: {
  commands: CommandHandler;
  cache: StateCache;
  policy: () => LoginLockoutPolicy;
  onError: (error: Error) => void;
}): LoginAttemptRecorder {
  const { commands, cache } = options;
  const queues = new Map<string, Promise<void>>();
  const pending = new Map<string, number>();
  const baselines = new Map<string, number>();
  const all = new Set<Promise<void>>();

  const write = async (userId: string, cmd: RecordLoginFailure | RecordLoginSuccess): Promise<void> => {
    const result = await commands.handle(userDecider, toUserStreamName(userId), cmd);
    await cache.applyAppended(result.events);
  };

  const release = (userId: string): void => {
    const left = (pending.get(userId) ?? 1) - 1;
    if (left > 0) pending.set(userId, left);
    else {
      pending.delete(userId);
      baselines.delete(userId);
    }
  };

  /** `isFailure`: the attempt's pending count is released once the failure is written. */
  const enqueue = (userId: string, build: () => RecordLoginFailure | RecordLoginSuccess, isFailure: boolean): void => {
    const previous = queues.get(userId) ?? Promise.resolve();
    const done = previous
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => write(userId, build()))
      .catch((error: unknown) => options.onError(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        if (isFailure) release(userId);
        if (queues.get(userId) === done) queues.delete(userId);
        all.delete(done);
      });
    queues.set(userId, done);
    all.add(done);
  };

  const metadata = (context: LoginAttemptContext) =>
    clientMetadata(context.application, context.request, context.now);

  return {
    begin(userId, observed = 0) {
      const before = pending.get(userId) ?? 0;
      if (before === 0) baselines.set(userId, observed);
      pending.set(userId, before + 1);
      let known = false;
      const once = (): boolean => {
        if (known) return false;
        known = true;
        return true;
      };
      return {
        failed(context) {
          if (!once()) return;
          const policy = options.policy();
          enqueue(userId, () => command<RecordLoginFailure>('RecordLoginFailure', { userId, policy }, metadata(context)), true);
        },
        succeeded(context, record) {
          if (!once()) return;
          release(userId);
          if (record) enqueue(userId, () => command<RecordLoginSuccess>('RecordLoginSuccess', { userId }, metadata(context)), false);
        },
      };
    },
    pendingFailures: (userId) => pending.get(userId) ?? 0,
    countedFailures(userId, observed) {
      const waiting = pending.get(userId) ?? 0;
      return waiting === 0 ? observed : Math.max(observed, (baselines.get(userId) ?? 0) + waiting);
    },
    async idle() {
      while (all.size > 0) await Promise.all([...all]);
    },
  };
}
