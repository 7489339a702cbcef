import { randomBytes } from 'node:crypto';

/** One-time material shown on the next page only (a fresh secret), then forgotten. */
export interface OneTimeSecret {
  applicationId: string;
  clientId: string;
  clientSecret: string;
  accessToken?: string;
}

export interface Flash {
  kind: 'success' | 'danger' | 'info';
  text: string;
}

export interface ConsoleSession {
  readonly id: string;
  readonly userId: string;
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
  accessToken: string;
  /** Milliseconds since the epoch. */
  accessTokenExpiresAt: number;
  refreshToken: string | undefined;
  flashes: Flash[];
  secret: OneTimeSecret | undefined;
}

export interface SessionLimits {
  idleSeconds: number;
  maxAgeSeconds: number;
}

/**
 * Console sessions in memory, keyed by a random 256-bit id (the cookie holds only the id).
 * A session ends after `idleSeconds` without a request or `maxAgeSeconds` after sign-in,
 * whichever comes first. A restart or another node does not know the session: the user
 * signs in again (the tokens it held stay valid until they expire, but nobody has them).
 */
export interface SessionStore {
  create(input: { userId: string; accessToken: string; accessTokenExpiresAt: number; refreshToken?: string }, now: number): ConsoleSession;
  /** The live session and whether it was found expired (then it is removed). */
  get(id: string | undefined, now: number): { session?: ConsoleSession; expired?: ConsoleSession };
  delete(id: string): void;
  /** Ends every session of a user (not used by the checks, which end sessions on their own). */
  size(): number;
}

const ID = /^[A-Za-z0-9_-]{43}$/;
export const newSessionSecret = (): string => randomBytes(32).toString('base64url');

export function createSessionStore(limits: SessionLimits): SessionStore {
  const sessions = new Map<string, ConsoleSession>();
  const isExpired = (s: ConsoleSession, now: number): boolean =>
    now - s.lastSeenAt > limits.idleSeconds * 1000 || now - s.createdAt > limits.maxAgeSeconds * 1000;
  const sweep = (now: number): void => {
    for (const [id, s] of sessions) if (isExpired(s, now)) sessions.delete(id);
  };
  return {
    create(input, now) {
      // Expired sessions are dropped as new ones arrive, so the map cannot grow without bound.
      if (sessions.size % 64 === 0) sweep(now);
      const session: ConsoleSession = {
        id: newSessionSecret(),
        csrfToken: newSessionSecret(),
        createdAt: now,
        lastSeenAt: now,
        userId: input.userId,
        accessToken: input.accessToken,
        accessTokenExpiresAt: input.accessTokenExpiresAt,
        refreshToken: input.refreshToken,
        flashes: [],
        secret: undefined,
      };
      sessions.set(session.id, session);
      return session;
    },
    get(id, now) {
      if (id === undefined || !ID.test(id)) return {};
      const session = sessions.get(id);
      if (!session) return {};
      if (isExpired(session, now)) {
        sessions.delete(id);
        return { expired: session };
      }
      session.lastSeenAt = now;
      return { session };
    },
    delete(id) {
      sessions.delete(id);
    },
    size: () => sessions.size,
  };
}
