import type { UserEvent, UserState } from './userEvents.js';

type RegisteredUser = Exclude<UserState, { status: 'Empty' }>;

/**
 * "Credentials change, sessions end." A session is one password sign-in and everything it
 * produced: its access token, its refresh-token family and the access tokens rotated from it.
 * It starts at `auth_time` (whole seconds, in the token and in the family). These events end
 * every session of the user that started before them: the user's `sessionsNotBefore` becomes
 * the event's time, and the token path refuses any session that started at or before it.
 * client_credentials tokens are not sessions (the application's, not the user's): a password
 * change leaves them; disabling and locking stop them through the subject checks.
 */
export function endsSessions(event: UserEvent, before: RegisteredUser): boolean {
  switch (event.type) {
    case 'UserPasswordChanged':
    case 'UserDisabled':
      return true;
    case 'UserLocked':
      return event.data.reason === 'administrator';
    case 'UserProfileUpdated': {
      const change = event.data.changes.organizationIds;
      return change !== undefined && before.organizationIds.some((id) => !change.to.includes(id));
    }
    default:
      return false;
  }
}

const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/**
 * `auth_time` of a session starting at `now`. Tokens carry whole seconds, so a session started
 * in the same second as the last session-ending change is dated the second after it — never
 * earlier than a real sign-in, and never taken for one of the sessions that change ended.
 */
export function sessionStartSeconds(user: RegisteredUser, now: Date): number {
  const current = Math.floor(now.getTime() / 1000);
  return user.sessionsNotBefore === null ? current : Math.max(current, seconds(user.sessionsNotBefore) + 1);
}

/** A session that started at `authTimeSeconds` has been ended by a later change. */
export const isSessionEnded = (user: RegisteredUser, authTimeSeconds: number): boolean =>
  user.sessionsNotBefore !== null && authTimeSeconds * 1000 <= Date.parse(user.sessionsNotBefore);
