import { expect } from 'chai';
import type { RegisterUser, UserCommand } from '../../../src/domain/user/userCommands.js';
import { userDecider, type RegisteredUser } from '../../../src/domain/user/userDecider.js';
import type { UserEvent } from '../../../src/domain/user/userEvents.js';
import { isSessionEnded, sessionStartSeconds } from '../../../src/domain/user/userSessions.js';
import { DeciderSpecification } from '../../support/deciderSpecification.js';
import { metadataAt } from '../metadata.js';

/** Credentials change, sessions end: which user events end the sessions, and how sessions are dated. */
const given = DeciderSpecification.for(userDecider);
const userId = 'user-1';
const T0 = Date.parse('2025-03-01T10:00:00.250Z');
const iso = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const timed = (event: UserEvent, seconds: number): UserEvent => ({ ...event, metadata: { occurredAt: iso(seconds) } }) as unknown as UserEvent;
const registration: RegisterUser['data'] = {
  userId, kind: 'backOffice', username: 'jane', email: 'jane@acme.test', roles: ['user'], organizationIds: ['org-1', 'org-2'], passwordHash: 'scrypt$x',
};
const registered = timed({ type: 'UserRegistered', data: { ...registration, locale: 'en' } }, 0);
const noop: UserCommand = { type: 'EnableUser', data: { userId }, metadata: metadataAt() };
const stateAfter = (events: UserEvent[]): RegisteredUser => events.reduce(userDecider.evolve, userDecider.initialState()) as RegisteredUser;

describe('user sessions (credentials change, sessions end)', () => {
  const ending: Record<string, UserEvent> = {
    'a password change or reset': { type: 'UserPasswordChanged', data: { userId, passwordHash: 'scrypt$y' } },
    disabling: { type: 'UserDisabled', data: { userId } },
    "an administrator's lock": { type: 'UserLocked', data: { userId, reason: 'administrator' } },
    'removal from an organization': {
      type: 'UserProfileUpdated',
      data: { userId, changes: { organizationIds: { from: ['org-1', 'org-2'], to: ['org-2'] } } },
    },
  };
  for (const [what, event] of Object.entries(ending)) {
    it(`given ${what}, then sessions started before it are over, and later ones are not`, () =>
      given([registered, timed(event, 100)]).when(noop).thenState((s) => {
        expect(s).to.include({ sessionsNotBefore: iso(100) });
        const user = s as RegisteredUser;
        expect(isSessionEnded(user, Math.floor((T0 + 50_000) / 1000)), 'started before').to.equal(true);
        expect(isSessionEnded(user, Math.floor((T0 + 101_000) / 1000)), 'started after').to.equal(false);
      }));
  }

  const notEnding: Record<string, UserEvent> = {
    'an email change': { type: 'UserProfileUpdated', data: { userId, changes: { email: { from: 'jane@acme.test', to: 'j@acme.test' } } } },
    'joining another organization': {
      type: 'UserProfileUpdated',
      data: { userId, changes: { organizationIds: { from: ['org-1', 'org-2'], to: ['org-1', 'org-2', 'org-3'] } } },
    },
    'a temporary lockout': { type: 'UserLockedOut', data: { userId, failures: 3, lockouts: 1, waitSeconds: 60, until: iso(160) } },
    'a first-release lock after login failures': { type: 'UserLocked', data: { userId, reason: 'loginFailures' } },
    're-enabling': { type: 'UserEnabled', data: { userId } },
  };
  for (const [what, event] of Object.entries(notEnding)) {
    it(`given ${what}, then no session ends`, () =>
      given([registered, timed(event, 100)]).when(noop).thenState((s) => expect(s).to.include({ sessionsNotBefore: null })));
  }

  it('given sessions started just before and just after a change in the same second, then the first is over and the second lives', () => {
    const changedAt = T0 + 100_000; // …:40.250
    const user = stateAfter([registered, timed(ending['a password change or reset']!, 100)]);
    expect(isSessionEnded(user, sessionStartSeconds(stateAfter([registered]), new Date(changedAt - 1)))).to.equal(true);
    expect(isSessionEnded(user, sessionStartSeconds(user, new Date(changedAt + 1)))).to.equal(false);
  });

  it('given a sign-in in the same millisecond as the change, then it is dated just after the change and lives', () => {
    const changedAt = T0 + 100_000;
    const user = stateAfter([registered, timed(ending['a password change or reset']!, 100)]);
    const start = sessionStartSeconds(user, new Date(changedAt));
    expect(start).to.equal((changedAt + 1) / 1000);
    expect(isSessionEnded(user, start)).to.equal(false);
  });

  it('given no change ever, then a session is dated by the clock', () => {
    const user = stateAfter([registered]);
    expect(sessionStartSeconds(user, new Date(T0 + 5000))).to.equal((T0 + 5000) / 1000);
  });

  it('given re-enabling after disabling, then the sessions the disabling ended stay ended', () => {
    const user = stateAfter([registered, timed({ type: 'UserDisabled', data: { userId } }, 100), timed({ type: 'UserEnabled', data: { userId } }, 200)]);
    expect(isSessionEnded(user, Math.floor((T0 + 50_000) / 1000))).to.equal(true);
  });
});
