import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { HttpProblem } from '../../http/problem.js';
import type { DerivedKeys } from '../../keys/derivedKey.js';
import type { SessionKind, SessionRecords } from './sessionRecords.js';

/**
 * Sessions as the records hold them: the value is the session's JSON sealed with AES-256-GCM
 * (a key derived from the active signing key, src/keys/derivedKey.ts), under the SHA-256 of the
 * session id. After a key rotation a record sealed before opens while the previous key is
 * retiring (then its next write seals it under the new one). A record that does not open
 * (sealed under a key since retired, or tampered with) is no session: its user signs in again. A backend that fails answers 503, never a half-read session.
 */
export interface SealedSessions {
  put(kind: SessionKind, id: string, value: unknown, expiresAt: number): Promise<void>;
  /** Only if the record is there: whether it was. */
  replace(kind: SessionKind, id: string, value: unknown, expiresAt: number): Promise<boolean>;
  get(kind: SessionKind, id: string): Promise<unknown>;
  delete(kind: SessionKind, id: string): Promise<void>;
}

/** The keys sessions are sealed with now and opened with (src/keys/derivedKey.ts `derivedKeysOf`). */
export type SealingKey = Pick<DerivedKeys, 'current' | 'forKid' | 'kids'>;

const VERSION = 'v1';
export const SESSIONS_UNAVAILABLE = 'Sessions are unavailable right now; nothing was changed. Try again in a moment.';

export const recordKeyOf = (id: string): string => createHash('sha256').update(id).digest('base64url');

const kidTag = (kid: string): string => createHash('sha256').update(kid).digest('base64url').slice(0, 8);

export function seal(value: unknown, sealingKey: SealingKey, kind: SessionKind): string {
  const { kid, key } = sealingKey.current();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(`${VERSION}.${kind}`));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [VERSION, kidTag(kid), iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

export function open(sealed: string, sealingKey: SealingKey, kind: SessionKind): unknown {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) return undefined;
  // Sealed under the active key, or under one still retiring (before a rotation).
  const kid = sealingKey.kids().find((k) => kidTag(k) === parts[1]);
  const key = kid === undefined ? undefined : sealingKey.forKid(kid);
  if (!key) return undefined;
  try {
    // The whole 16-byte tag, always: GCM would otherwise accept a truncated one.
    const tag = Buffer.from(parts[4]!, 'base64url');
    if (tag.length !== 16) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[2]!, 'base64url'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(`${VERSION}.${kind}`));
    decipher.setAuthTag(tag);
    const text = Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64url')), decipher.final()]).toString('utf8');
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function createSealedSessions(records: SessionRecords, sealingKey: SealingKey): SealedSessions {
  const guarded = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch {
      throw new HttpProblem(503, SESSIONS_UNAVAILABLE, undefined, { 'Retry-After': '5' });
    }
  };
  return {
    put: (kind, id, value, expiresAt) => guarded(() => records.put(kind, recordKeyOf(id), seal(value, sealingKey, kind), expiresAt)),
    replace: (kind, id, value, expiresAt) => guarded(() => records.replace(kind, recordKeyOf(id), seal(value, sealingKey, kind), expiresAt)),
    async get(kind, id) {
      const sealed = await guarded(() => records.get(kind, recordKeyOf(id)));
      return sealed === undefined ? undefined : open(sealed, sealingKey, kind);
    },
    delete: (kind, id) => guarded(() => records.delete(kind, recordKeyOf(id))),
  };
}
