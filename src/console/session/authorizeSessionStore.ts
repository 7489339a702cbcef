import type { SealedSessions } from './sealedSessions.js';
import { newSessionSecret, recordExpiresAt } from './sessionStore.js';

/**
 * Sign-ins of storefront (customer) users at the authorization endpoint: short-lived sessions
 * that can only continue authorization requests of storefront applications. They are no
 * console session (customers have none): nothing under /console but the authorize path
 * reads them, their cookie is scoped to that path, and they hold no tokens. Kept like the
 * console's sessions (sealed, in the deployment's session records, so any node takes them),
 * keyed by a random 256-bit id; each has its own CSRF token.
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
  create(userId: string, authTime: number, now: number): Promise<AuthorizeSession>;
  /** The live session (its last use moved to `now`, and written back), or undefined. */
  get(id: string | undefined, now: number): Promise<AuthorizeSession | undefined>;
  delete(id: string): Promise<void>;
  readonly limits: AuthorizeSessionLimits;
}

export interface AuthorizeSessionLimits {
  idleSeconds: number;
  maxAgeSeconds: number;
}

/** Long enough for a sign-in and a consent, and a few more authorizations soon after. */
export const AUTHORIZE_SESSION_LIMITS: AuthorizeSessionLimits = { idleSeconds: 600, maxAgeSeconds: 3600 };

const ID = /^[A-Za-z0-9_-]{43}$/;

export function createAuthorizeSessionStore(sealed: SealedSessions, limits: AuthorizeSessionLimits = AUTHORIZE_SESSION_LIMITS): AuthorizeSessionStore {
  const isExpired = (s: AuthorizeSession, now: number): boolean =>
    now - s.lastSeenAt > limits.idleSeconds * 1000 || now - s.createdAt > limits.maxAgeSeconds * 1000;
  const expiresAt = (s: AuthorizeSession) => recordExpiresAt(s, limits);
  return {
    limits,
    async create(userId, authTime, now) {
      const session: AuthorizeSession = { id: newSessionSecret(), userId, csrfToken: newSessionSecret(), createdAt: now, authTime, lastSeenAt: now };
      await sealed.put('authorize', session.id, session, expiresAt(session));
      return session;
    },
    async get(id, now) {
      if (id === undefined || !ID.test(id)) return undefined;
      const session = asAuthorizeSession(await sealed.get('authorize', id), id);
      if (!session) return undefined;
      if (isExpired(session, now)) {
        await sealed.delete('authorize', id);
        return undefined;
      }
      session.lastSeenAt = now;
      // Only if still there: a session deleted meanwhile (a sign-in ended elsewhere) stays deleted.
      return (await sealed.replace('authorize', id, session, expiresAt(session))) ? session : undefined;
    },
    delete: (id) => sealed.delete('authorize', id),
  };
}

function asAuthorizeSession(value: unknown, id: string): AuthorizeSession | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<AuthorizeSession>;
  if (v.id !== id || typeof v.userId !== 'string' || typeof v.csrfToken !== 'string') return undefined;
  if (typeof v.createdAt !== 'number' || typeof v.authTime !== 'number' || typeof v.lastSeenAt !== 'number') return undefined;
  return { id, userId: v.userId, csrfToken: v.csrfToken, createdAt: v.createdAt, authTime: v.authTime, lastSeenAt: v.lastSeenAt };
}
