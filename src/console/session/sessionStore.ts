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
 * A session is two records. Its tokens are written by the sign-in and by each refresh only
 * (`saveTokens`), never by a request that merely used them, so a request that started before a
 * refresh cannot put back the refresh token it replaced. The rest (last use, flashes, the
 * secret shown once) a request writes back once at its end (`save`); two requests of one
 * session at the same moment: the last to finish wins (a flash may be lost). Write-backs only
 * replace: a session deleted meanwhile (signed out, ended) stays deleted.
 */
export interface SessionStore {
  create(input: { userId: string; accessToken: string; accessTokenExpiresAt: number; refreshToken?: string }, now: number): Promise<ConsoleSession>;
  /** The live session and whether it was found expired (then its records are removed). */
  get(id: string | undefined, now: number): Promise<{ session?: ConsoleSession; expired?: ConsoleSession }>;
  /** Writes back what a request changed (last use, flashes, secret); nothing for a session deleted meanwhile. */
  save(session: ConsoleSession): Promise<void>;
  /** Writes the session's tokens after a refresh; false when the session was deleted meanwhile. */
  saveTokens(session: ConsoleSession): Promise<boolean>;
  /** Takes the stored tokens when another request refreshed them since this one read them; whether it did. */
  reloadTokens(session: ConsoleSession): Promise<boolean>;
  delete(session: ConsoleSession): Promise<void>;
}

type SessionPart = Omit<ConsoleSession, 'accessToken' | 'accessTokenExpiresAt' | 'refreshToken'>;
type TokensPart = Pick<ConsoleSession, 'id' | 'accessToken' | 'accessTokenExpiresAt' | 'refreshToken'>;

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

/** The tokens' record lives as long as the session could (its absolute age), plus the grace. */
const tokensExpireAt = (s: { createdAt: number; lastSeenAt: number }, limits: SessionLimits): number =>
  Date.now() + (s.createdAt + limits.maxAgeSeconds * 1000 - s.lastSeenAt) + RECORD_GRACE_MS;

export function createSessionStore(limits: SessionLimits, sealed: SealedSessions): SessionStore {
  const isExpired = (s: ConsoleSession, now: number): boolean =>
    now - s.lastSeenAt > limits.idleSeconds * 1000 || now - s.createdAt > limits.maxAgeSeconds * 1000;
  const ended = new WeakSet<ConsoleSession>();
  const sessionPart = (s: ConsoleSession): SessionPart => ({
    id: s.id, userId: s.userId, csrfToken: s.csrfToken, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, flashes: s.flashes, secret: s.secret,
  });
  const tokensPart = (s: ConsoleSession): TokensPart => ({
    id: s.id, accessToken: s.accessToken, accessTokenExpiresAt: s.accessTokenExpiresAt, refreshToken: s.refreshToken,
  });
  const remove = (id: string) => Promise.all([sealed.delete('console', id), sealed.delete('console-tokens', id)]).then(() => undefined);
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
      // The tokens first: a session record is never there without them.
      await sealed.put('console-tokens', session.id, tokensPart(session), tokensExpireAt(session, limits));
      await sealed.put('console', session.id, sessionPart(session), recordExpiresAt(session, limits));
      return session;
    },
    async get(id, now) {
      if (id === undefined || !ID.test(id)) return {};
      const [part, tokens] = await Promise.all([sealed.get('console', id), sealed.get('console-tokens', id)]);
      const session = asSession(part, tokens, id);
      if (!session) return {};
      if (isExpired(session, now)) {
        await remove(id);
        return { expired: session };
      }
      session.lastSeenAt = now;
      return { session };
    },
    async save(session) {
      if (!ended.has(session)) await sealed.replace('console', session.id, sessionPart(session), recordExpiresAt(session, limits));
    },
    async saveTokens(session) {
      if (ended.has(session)) return false;
      return sealed.replace('console-tokens', session.id, tokensPart(session), tokensExpireAt(session, limits));
    },
    async reloadTokens(session) {
      const stored = asTokens(await sealed.get('console-tokens', session.id), session.id);
      if (!stored || stored.accessTokenExpiresAt <= session.accessTokenExpiresAt) return false;
      session.accessToken = stored.accessToken;
      session.accessTokenExpiresAt = stored.accessTokenExpiresAt;
      session.refreshToken = stored.refreshToken;
      return true;
    },
    async delete(session) {
      ended.add(session);
      await remove(session.id);
    },
  };
}

function asTokens(value: unknown, id: string): TokensPart | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<TokensPart>;
  if (v.id !== id || typeof v.accessToken !== 'string' || typeof v.accessTokenExpiresAt !== 'number') return undefined;
  return { id, accessToken: v.accessToken, accessTokenExpiresAt: v.accessTokenExpiresAt, refreshToken: typeof v.refreshToken === 'string' ? v.refreshToken : undefined };
}

/** The two records' values as a session, or undefined when they are not one (then there is no session). */
function asSession(part: unknown, tokensValue: unknown, id: string): ConsoleSession | undefined {
  const tokens = asTokens(tokensValue, id);
  if (!tokens || typeof part !== 'object' || part === null) return undefined;
  const v = part as Partial<SessionPart>;
  if (v.id !== id || typeof v.userId !== 'string' || typeof v.csrfToken !== 'string') return undefined;
  if (typeof v.createdAt !== 'number' || typeof v.lastSeenAt !== 'number') return undefined;
  return {
    id,
    userId: v.userId,
    csrfToken: v.csrfToken,
    createdAt: v.createdAt,
    lastSeenAt: v.lastSeenAt,
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: tokens.accessTokenExpiresAt,
    refreshToken: tokens.refreshToken,
    flashes: Array.isArray(v.flashes) ? v.flashes : [],
    secret: v.secret ?? undefined,
  };
}
