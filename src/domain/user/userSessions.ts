import type { UserEvent, UserState } from './userEvents.js';

type RegisteredUser = Exclude<UserState, { status: 'Empty' }>;

/**
 * "Credentials change, sessions end." A session is one password sign-in and everything it
 * produced: its access token, its refresh-token family and the access tokens rotated from it.
 * It starts at `auth_time` (in the token and in the family). These events end
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

/**
 * `auth_time` of a session starting at `now`, in seconds with milliseconds (a NumericDate may
 * have a fraction, RFC 7519 §2): whole seconds could not tell a sign-in just after a change
 * from one just before it. A session started in the same millisecond as the last
 * session-ending change is dated one millisecond after it, so it is never taken for one of
 * the sessions that change ended.
 */
export function sessionStartSeconds(user: RegisteredUser, now: Date): number {
  const notBefore = user.sessionsNotBefore === null ? -Infinity : Date.parse(user.sessionsNotBefore);
  return Math.max(now.getTime(), notBefore + 1) / 1000;
}

/** A session that started at `authTimeSeconds` has been ended by a later change. */
export const isSessionEnded = (user: RegisteredUser, authTimeSeconds: number): boolean =>
  user.sessionsNotBefore !== null && Math.round(authTimeSeconds * 1000) <= Date.parse(user.sessionsNotBefore);
