import { newSessionSecret } from './sessionStore.js';

/**
 * Sign-ins of storefront (customer) users at the authorization endpoint: short-lived sessions
 * that can only continue authorization requests of storefront applications. They are no
 * console session (customers have none): nothing under /console but the authorize path
 * reads them, their cookie is scoped to that path, and they hold no tokens. In memory, like
 * the console's sessions, keyed by a random 256-bit id; each has its own CSRF token.
 * A session ends `idleSeconds` after its last use or `maxAgeSeconds` after the sign-in.
 */
export interface AuthorizeSession {
  readonly id: string;
  readonly userId: string;
  readonly csrfToken: string;
  /** Milliseconds since the epoch: the sign-in (limits). */
  readonly createdAt: number;
  /** The sign-in as the tokens' auth_time (seconds with milliseconds, sessionStartSeconds). */
  readonly authTime: number;
  lastSeenAt: number;
}

export interface AuthorizeSessionStore {
  create(userId: string, authTime: number, now: number): AuthorizeSession;
  get(id: string | undefined, now: number): AuthorizeSession | undefined;
  delete(id: string): void;
  readonly limits: AuthorizeSessionLimits;
  size(): number;
}

export interface AuthorizeSessionLimits {
  idleSeconds: number;
  maxAgeSeconds: number;
}

/** Long enough for a sign-in and a consent, and a few more authorizations soon after. */
export const AUTHORIZE_SESSION_LIMITS: AuthorizeSessionLimits = { idleSeconds: 600, maxAgeSeconds: 3600 };

const ID = /^[A-Za-z0-9_-]{43}$/;

export function createAuthorizeSessionStore(
  limits: AuthorizeSessionLimits = AUTHORIZE_SESSION_LIMITS,
  maxEntries = 10_000,
): AuthorizeSessionStore {
  const sessions = new Map<string, AuthorizeSession>();
  const isExpired = (s: AuthorizeSession, now: number): boolean =>
    now - s.lastSeenAt > limits.idleSeconds * 1000 || now - s.createdAt > limits.maxAgeSeconds * 1000;
  return {
    limits,
    create(userId, authTime, now) {
      // Oldest first (Map order): expired ones go, and the map cannot grow without bound.
      for (const [id, s] of sessions) if (isExpired(s, now) || sessions.size >= maxEntries) sessions.delete(id); else break;
      const session: AuthorizeSession = { id: newSessionSecret(), userId, csrfToken: newSessionSecret(), createdAt: now, authTime, lastSeenAt: now };
      sessions.set(session.id, session);
      return session;
    },
    get(id, now) {
      if (id === undefined || !ID.test(id)) return undefined;
      const session = sessions.get(id);
      if (!session) return undefined;
      if (isExpired(session, now)) {
        sessions.delete(id);
        return undefined;
      }
      session.lastSeenAt = now;
      return session;
    },
    delete: (id) => void sessions.delete(id),
    size: () => sessions.size,
  };
}
