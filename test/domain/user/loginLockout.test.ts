import { expect } from 'chai';
import type { RegisterUser, UserCommand } from '../../../src/domain/user/userCommands.js';
import { userDecider, type RegisteredUser } from '../../../src/domain/user/userDecider.js';
import type { UserEvent } from '../../../src/domain/user/userEvents.js';
import { isLockedOut, lockoutWaitSeconds, type LoginLockoutPolicy } from '../../../src/domain/user/loginLockout.js';
import { DeciderSpecification } from '../../support/deciderSpecification.js';
import { metadataAt } from '../metadata.js';

/**
 * Brute-force protection with the time passed in: every command carries its `now`, every
 * given event its recorded time (metadata.occurredAt), so lockouts expire and counts are
 * forgotten without any clock.
 */
const given = DeciderSpecification.for(userDecider);
const userId = 'user-1';
const policy: LoginLockoutPolicy = { failureLimit: 3, waitSeconds: 60, maxWaitSeconds: 150, failureResetSeconds: 3600 };
const T0 = Date.parse('2025-03-01T10:00:00.000Z');
const at = (seconds: number): Date => new Date(T0 + seconds * 1000);
const iso = (seconds: number): string => at(seconds).toISOString();

const timed = (event: UserEvent, seconds: number): UserEvent =>
  ({ ...event, metadata: { occurredAt: iso(seconds) } }) as unknown as UserEvent;
const registration: RegisterUser['data'] = {
  userId, kind: 'backOffice', username: 'jane', email: 'jane@acme.test', roles: ['user'], organizationIds: ['org-1'], passwordHash: 'scrypt$x',
};
const registered = timed({ type: 'UserRegistered', data: { ...registration, locale: 'en' } }, 0);
const failedAt = (failures: number, seconds: number) => timed({ type: 'UserLoginFailed', data: { userId, failures } }, seconds);
const lockedOutAt = (seconds: number, lockouts: number, waitSeconds: number): UserEvent =>
  timed({ type: 'UserLockedOut', data: { userId, failures: 3, lockouts, waitSeconds, until: iso(seconds + waitSeconds) } }, seconds);
const failure = (seconds: number): UserCommand => ({ type: 'RecordLoginFailure', data: { userId, policy }, metadata: metadataAt(at(seconds)) });
const success = (seconds: number): UserCommand => ({ type: 'RecordLoginSuccess', data: { userId }, metadata: metadataAt(at(seconds)) });
const unlock = (seconds: number): UserCommand => ({ type: 'UnlockUser', data: { userId }, metadata: metadataAt(at(seconds)) });
const failed = (failures: number): UserEvent => ({ type: 'UserLoginFailed', data: { userId, failures } });
const reset: UserEvent = { type: 'UserLoginFailuresReset', data: { userId } };
const ended = (untilSeconds: number): UserEvent => ({ type: 'UserLockoutEnded', data: { userId, until: iso(untilSeconds) } });

/** Three failures at 10, 11, 12 s: locked out at 12 s for 60 s. */
const firstLockout = [registered, failedAt(1, 10), failedAt(2, 11), failedAt(3, 12), lockedOutAt(12, 1, 60)];

describe('login lockout (brute-force protection, time passed in)', () => {
  it('given limit − 1 failures, when one more fails, then the user is locked out in the same decision until now + the wait', () =>
    given([registered, failedAt(1, 10), failedAt(2, 11)]).when(failure(12)).then([
      failed(3),
      { type: 'UserLockedOut', data: { userId, failures: 3, lockouts: 1, waitSeconds: 60, until: iso(72) } },
    ]));

  it('given a lockout, then it is in force until its end and over after it (derived at read time)', () =>
    given(firstLockout).when(success(13)).thenState((state) => {
      const user = state as RegisteredUser;
      expect(isLockedOut(user, at(71))).to.equal(true);
      expect(isLockedOut(user, at(72))).to.equal(false);
      expect(user.locked, "not an administrator's lock").to.equal(false);
    }));

  it('given a lockout in force, then neither a failure nor a success records anything', () => {
    given(firstLockout).when(failure(30)).thenNothingHappened();
    given(firstLockout).when(success(30)).thenNothingHappened();
  });

  it('given a lockout that is over, when the next attempt fails, then its end is recorded and counting starts again from one', () =>
    given(firstLockout).when(failure(100)).then([ended(72), failed(1)]));

  it('given a lockout that is over, when the user signs in, then its end is recorded and the counts are forgotten', () => {
    given(firstLockout).when(success(100)).then([ended(72), reset]);
    given(firstLockout).when(success(100)).thenState((s) => expect(s).to.include({ loginFailures: 0, lockouts: 0, lockedOutUntil: null }));
  });

  it('given repeated lockouts, then the wait grows by the increment up to the maximum', () => {
    const second = [...firstLockout, timed(ended(72), 100), failedAt(1, 100), failedAt(2, 101)];
    given(second).when(failure(102)).then([
      failed(3),
      { type: 'UserLockedOut', data: { userId, failures: 3, lockouts: 2, waitSeconds: 120, until: iso(222) } },
    ]);
    const third = [...second, failedAt(3, 102), lockedOutAt(102, 2, 120), timed(ended(222), 300), failedAt(1, 300), failedAt(2, 301)];
    given(third).when(failure(302)).then([
      failed(3),
      { type: 'UserLockedOut', data: { userId, failures: 3, lockouts: 3, waitSeconds: 150, until: iso(452) } },
    ]);
    expect([1, 2, 3, 10].map((n) => lockoutWaitSeconds(policy, n))).to.deep.equal([60, 120, 150, 150]);
  });

  it('given failures older than the quiet period, when one more fails, then the old ones are forgotten (recorded) and it counts as the first', () =>
    given([registered, failedAt(1, 10), failedAt(2, 11)]).when(failure(11 + 3601)).then([reset, failed(1)]));

  it('given a lockout followed by a quiet period, then the next lockout waits the first wait again', () => {
    const afterQuiet = [...firstLockout, timed(ended(72), 5000), timed(reset, 5000), failedAt(1, 5000), failedAt(2, 5001)];
    given(afterQuiet).when(failure(5002)).then([
      failed(3),
      { type: 'UserLockedOut', data: { userId, failures: 3, lockouts: 1, waitSeconds: 60, until: iso(5062) } },
    ]);
  });

  it("given a lockout in force, when an administrator unlocks, then it ends at once with the administrator's UserUnlocked", () => {
    given(firstLockout).when(unlock(20)).then([{ type: 'UserUnlocked', data: { userId } }]);
    given(firstLockout).when(unlock(20)).thenState((s) => expect(isLockedOut(s as RegisteredUser, at(21))).to.equal(false));
  });

  it('given a lockout, then the sessions are not ended (existing tokens keep working)', () =>
    given(firstLockout).when(success(13)).thenState((s) => expect(s).to.include({ sessionsNotBefore: null })));
});
