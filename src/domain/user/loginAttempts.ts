import type { RecordLoginFailure, RecordLoginSuccess, UnlockUser } from './userCommands.js';
import type { UserEvent, UserState } from './userEvents.js';
import { checkLockoutPolicy, isLockedOut, isQuiet, lockoutWaitSeconds } from './loginLockout.js';

type RegisteredUser = Exclude<UserState, { status: 'Empty' }>;

/**
 * The login bookkeeping decisions (brute-force protection, loginLockout.ts). Each decision
 * first records the end of a lockout that is over (UserLockoutEnded), so the history shows
 * it next to what came after; a failure after the quiet period first forgets the counts.
 */
const endedLockout = (user: RegisteredUser, now: Date): UserEvent[] =>
  user.lockedOutUntil !== null && !isLockedOut(user, now)
    ? [{ type: 'UserLockoutEnded', data: { userId: user.userId, until: user.lockedOutUntil } }]
    : [];

/**
 * A wrong password. Reaching the limit locks out in the same decision, so no attempt slips
 * in between the count and the lockout. During a lockout nothing is counted (the token
 * endpoint does not even check passwords then).
 */
export function decideLoginFailure(command: RecordLoginFailure, user: RegisteredUser): UserEvent[] {
  const policy = checkLockoutPolicy(command.data.policy);
  const { now } = command.metadata;
  const { userId } = user;
  if (isLockedOut(user, now)) return [];
  const events = endedLockout(user, now);
  const quiet = isQuiet(user, policy, now);
  if (quiet && (user.loginFailures > 0 || user.lockouts > 0)) events.push({ type: 'UserLoginFailuresReset', data: { userId } });
  const failures = (quiet ? 0 : user.loginFailures) + 1;
  events.push({ type: 'UserLoginFailed', data: { userId, failures } });
  if (failures >= policy.failureLimit) {
    const lockouts = (quiet ? 0 : user.lockouts) + 1;
    const waitSeconds = lockoutWaitSeconds(policy, lockouts);
    const until = new Date(now.getTime() + waitSeconds * 1000).toISOString();
    events.push({ type: 'UserLockedOut', data: { userId, failures, lockouts, waitSeconds, until } });
  }
  return events;
}

/** A right password forgets failures and lockouts. */
export function decideLoginSuccess(command: RecordLoginSuccess, user: RegisteredUser): UserEvent[] {
  const { now } = command.metadata;
  if (isLockedOut(user, now)) return [];
  const events = endedLockout(user, now);
  if (user.loginFailures > 0 || user.lockouts > 0) events.push({ type: 'UserLoginFailuresReset', data: { userId: user.userId } });
  return events;
}

/** An administrator's unlock lifts their own lock and a running lockout, and forgets the counts. */
export function decideUnlock(command: UnlockUser, user: RegisteredUser): UserEvent[] {
  const { userId } = user;
  if (user.locked || isLockedOut(user, command.metadata.now)) return [{ type: 'UserUnlocked', data: { userId } }];
  const events = endedLockout(user, command.metadata.now);
  if (user.loginFailures > 0 || user.lockouts > 0) events.push({ type: 'UserLoginFailuresReset', data: { userId } });
  return events;
}
