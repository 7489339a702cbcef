import type { ExistingApplication } from '../domain/application/applicationEvents.js';
import { countingFailures, isLockedOut, type LoginLockoutPolicy } from '../domain/user/loginLockout.js';
import type { RegisteredUser } from '../domain/user/userDecider.js';
import { dummyPasswordVerify, verifyPassword } from '../security/passwordHash.js';
import { InvalidGrant } from './oauthErrors.js';
import type { RequestInfo } from './requestInfo.js';
import { foreignSubject, subjectProblem } from './subjectChecks.js';
import type { TokenServiceDeps, TokenSettings } from './tokenServiceDeps.js';

/**
 * Who signs in with a username and password through an (already authenticated) application.
 * In this order:
 *  1. not one of the application's users (unknown, other side, not a member of its
 *     organization; a first-party application takes back-office users of any organization):
 *     refused after a dummy scrypt, nothing counted;
 *  2. may not sign in now (disabled, locked by an administrator, organization disabled,
 *     temporarily locked out): refused after the same scrypt, nothing counted;
 *  3. only then the password is checked, and a wrong one is counted for that user — recorded
 *     after the answer (loginAttemptRecorder.ts).
 * Every refusal is the same invalid_grant after the same work, so neither the text nor the
 * time tells an unknown user from a wrong password, a locked one or another organization's.
 * The console signs in through this with its first-party client.
 */
export const INVALID_CREDENTIALS = 'the resource owner credentials are invalid';

export interface PasswordSignIn {
  application: ExistingApplication;
  username: string;
  password: string;
  request: RequestInfo;
  now: Date;
}

export const lockoutPolicyOf = (settings: TokenSettings): LoginLockoutPolicy => ({
  failureLimit: settings.loginFailureLimit,
  ...settings.loginLockout,
});

const refuse = (): never => {
  throw new InvalidGrant(INVALID_CREDENTIALS);
};

export async function authenticateResourceOwner(deps: TokenServiceDeps, input: PasswordSignIn): Promise<RegisteredUser> {
  const { application, password, now } = input;
  const user = await deps.cache.findUserByUsername(input.username, { fresh: true });
  if (!user || foreignSubject(user, application) !== undefined) {
    await dummyPasswordVerify(password);
    return refuse();
  }
  if (subjectProblem(user, application, deps.cache) !== undefined || isLockedOutNow(deps, user, now)) {
    await dummyPasswordVerify(password);
    return refuse();
  }
  const attempt = deps.loginAttempts.begin(user.userId, countingFailures(user, lockoutPolicyOf(deps.settings), now));
  let verified = false;
  try {
    verified = await verifyPassword(password, user.passwordHash);
  } finally {
    if (verified) attempt.succeeded(input, user.loginFailures > 0 || user.lockouts > 0 || user.lockedOutUntil !== null);
    else attempt.failed(input);
  }
  if (!verified) return refuse();
  return user;
}

/** Locked out, or about to be once the checks in progress and the failures being written are. */
function isLockedOutNow(deps: TokenServiceDeps, user: RegisteredUser, now: Date): boolean {
  if (isLockedOut(user, now)) return true;
  const policy = lockoutPolicyOf(deps.settings);
  return deps.loginAttempts.countedFailures(user.userId, countingFailures(user, policy, now)) >= policy.failureLimit;
}
