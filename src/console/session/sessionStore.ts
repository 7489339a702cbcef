import { randomBytes } from 'node:crypto';
import type { SealedSessions } from './sealedSessions.js';

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
 * Console sessions, keyed by a random 256-bit id (the cookie holds only the id), kept in the
 * deployment's session records (sessionRecords.ts: this process, PostgreSQL or Redis), sealed,
 * so any node takes a session another node started. A session ends after `idleSeconds`
 * without a request or `maxAgeSeconds` after sign-in, whichever comes first; its record is
 * kept a little longer, so that the first request after its end can sign it out (revoke its
 * refresh tokens, record the sign-out).
 *
 * A request reads its session once and the console writes it back once at the end
 * (`save`: last seen, refreshed tokens, flashes, the one-time secret). Two requests of one
 * session at the same moment: the last to finish wins (a flash may be lost, nothing else).
 */
export interface SessionStore {
  create(input: { userId: string; accessToken: string; accessTokenExpiresAt: number; refreshToken?: string }, now: number): Promise<ConsoleSession>;
  /** The live session and whether it was found expired (then its record is removed). */
  get(id: string | undefined, now: number): Promise<{ session?: ConsoleSession; expired?: ConsoleSession }>;
  /** Writes back a session a request changed; nothing for one that was deleted meanwhile. */
  save(session: ConsoleSession): Promise<void>;
  delete(session: ConsoleSession): Promise<void>;
}

const ID = /^[A-Za-z0-9_-]{43}$/;
export const newSessionSecret = (): string => randomBytes(32).toString('base64url');

/** How long a record outlives its session: the first request after the end still finds it. */
export const RECORD_GRACE_MS = 3_600_000;

/**
 * When a session's record may be dropped, on the real clock (the records' own): the time left
 * to the session at its last use, by the console's clock (injectable), plus the grace.
 */
export const recordExpiresAt = (s: { createdAt: number; lastSeenAt: number }, limits: SessionLimits): number =>
  Date.now() + Math.min(limits.idleSeconds * 1000, s.createdAt + limits.maxAgeSeconds * 1000 - s.lastSeenAt) + RECORD_GRACE_MS;

export function createSessionStore(limits: SessionLimits, sealed: SealedSessions): SessionStore {
  const isExpired = (s: ConsoleSession, now: number): boolean =>
    now - s.lastSeenAt > limits.idleSeconds * 1000 || now - s.createdAt > limits.maxAgeSeconds * 1000;
  const recordExpiry = (s: ConsoleSession): number => recordExpiresAt(s, limits);
  const ended = new WeakSet<ConsoleSession>();
  const write = (session: ConsoleSession) => sealed.put('console', session.id, session, recordExpiry(session));
  return {
    async create(input, now) {
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
      await write(session);
      return session;
    },
    async get(id, now) {
      if (id === undefined || !ID.test(id)) return {};
      const session = asSession(await sealed.get('console', id), id);
      if (!session) return {};
      if (isExpired(session, now)) {
        await sealed.delete('console', id);
        return { expired: session };
      }
      session.lastSeenAt = now;
      return { session };
    },
    async save(session) {
      if (!ended.has(session)) await write(session);
    },
    async delete(session) {
      ended.add(session);
      await sealed.delete('console', session.id);
    },
  };
}

/** A record's value as a session, or undefined when it is not one (then there is no session). */
function asSession(value: unknown, id: string): ConsoleSession | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<ConsoleSession>;
  if (v.id !== id || typeof v.userId !== 'string' || typeof v.csrfToken !== 'string' || typeof v.accessToken !== 'string') return undefined;
  if (typeof v.createdAt !== 'number' || typeof v.lastSeenAt !== 'number' || typeof v.accessTokenExpiresAt !== 'number') return undefined;
  return {
    id,
    userId: v.userId,
    csrfToken: v.csrfToken,
    createdAt: v.createdAt,
    lastSeenAt: v.lastSeenAt,
    accessToken: v.accessToken,
    accessTokenExpiresAt: v.accessTokenExpiresAt,
    refreshToken: typeof v.refreshToken === 'string' ? v.refreshToken : undefined,
    flashes: Array.isArray(v.flashes) ? v.flashes : [],
    secret: v.secret ?? undefined,
  };
}
