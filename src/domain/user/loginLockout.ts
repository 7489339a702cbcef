import { DomainError } from '../shared/domainError.js';
import type { UserState } from './userEvents.js';

type RegisteredUser = Exclude<UserState, { status: 'Empty' }>;

/**
 * Brute-force protection as Keycloak does it (waitIncrement, maxFailureWait, failureResetTime):
 * `failureLimit` consecutive wrong passwords lock password sign-ins out for a while; each
 * further lockout in a row waits `waitSeconds` longer (linear, as Keycloak), at most
 * `maxWaitSeconds`; a failure more than `failureResetSeconds` after the previous one starts
 * the count (failures and lockouts) again. Settings: LOGIN_FAILURE_LIMIT, LOGIN_LOCKOUT_WAIT,
 * LOGIN_LOCKOUT_MAX_WAIT, LOGIN_FAILURE_RESET_AFTER.
 */
export interface LoginLockoutPolicy {
  failureLimit: number;
  waitSeconds: number;
  maxWaitSeconds: number;
  failureResetSeconds: number;
}

const positiveInteger = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value >= 1;

export function checkLockoutPolicy(policy: LoginLockoutPolicy): LoginLockoutPolicy {
  const fields = ['failureLimit', 'waitSeconds', 'maxWaitSeconds', 'failureResetSeconds'] as const;
  const bad = fields.filter((f) => !positiveInteger(policy?.[f]));
  if (bad.length > 0) {
    throw new DomainError(
      'VALIDATION',
      `lockout policy: ${bad.join(', ')} must be positive integers`,
      bad.map((field) => ({ field, message: 'must be a positive integer' })),
    );
  }
  return policy;
}

/** The wait of the n-th lockout in a row (n ≥ 1). */
export const lockoutWaitSeconds = (policy: LoginLockoutPolicy, lockouts: number): number =>
  Math.min(policy.maxWaitSeconds, policy.waitSeconds * Math.max(1, lockouts));

/** Password sign-ins are refused at `now`. */
export const isLockedOut = (user: RegisteredUser, now: Date): boolean =>
  user.lockedOutUntil !== null && Date.parse(user.lockedOutUntil) > now.getTime();

/** The last failure is older than the quiet period: the counts are forgotten. */
export const isQuiet = (user: RegisteredUser, policy: LoginLockoutPolicy, now: Date): boolean =>
  user.lastLoginFailureAt !== null &&
  now.getTime() - Date.parse(user.lastLoginFailureAt) > policy.failureResetSeconds * 1000;

/** Failures that still count towards the next lockout at `now`. */
export const countingFailures = (user: RegisteredUser, policy: LoginLockoutPolicy, now: Date): number =>
  isQuiet(user, policy, now) ? 0 : user.loginFailures;
