import { randomBytes } from 'node:crypto';
import type { AuthorizationRequest } from './authorizationRequest.js';

/**
 * Authorization requests waiting for sign-in or consent, kept on the server: the browser
 * carries only a random 256-bit id, so nothing it sends back can change the client, the
 * redirect URI, the PKCE challenge or the scopes (no open redirect through the sign-in page).
 * A request lives `ttlSeconds` (default 600) and is taken once by Grant or Cancel. In memory,
 * like the console's sessions: the flow finishes on the node it started on.
 */
export interface PendingAuthorization extends Omit<AuthorizationRequest, 'application'> {
  applicationId: string;
  expiresAt: number;
}

export interface PendingAuthorizations {
  put(request: AuthorizationRequest, now: number): string;
  get(id: string | undefined, now: number): PendingAuthorization | undefined;
  /** Removes and answers it (single use). */
  take(id: string | undefined, now: number): PendingAuthorization | undefined;
  size(): number;
}

const ID = /^[A-Za-z0-9_-]{43}$/;
export const isPendingAuthorizationId = (value: unknown): value is string => typeof value === 'string' && ID.test(value);

export function createPendingAuthorizations(options: { ttlSeconds?: number; maxEntries?: number } = {}): PendingAuthorizations {
  const ttl = (options.ttlSeconds ?? 600) * 1000;
  const max = options.maxEntries ?? 10_000;
  const pending = new Map<string, PendingAuthorization>();
  const get = (id: string | undefined, now: number): PendingAuthorization | undefined => {
    if (!isPendingAuthorizationId(id)) return undefined;
    const found = pending.get(id);
    if (found && found.expiresAt <= now) {
      pending.delete(id);
      return undefined;
    }
    return found;
  };
  return {
    put(request, now) {
      // Oldest first (Map order): the map cannot grow without bound.
      for (const [id, p] of pending) if (p.expiresAt <= now || pending.size >= max) pending.delete(id); else break;
      const id = randomBytes(32).toString('base64url');
      const { application, ...rest } = request;
      pending.set(id, { ...rest, applicationId: application.applicationId, expiresAt: now + ttl });
      return id;
    },
    get,
    take(id, now) {
      const found = get(id, now);
      if (found) pending.delete(id!);
      return found;
    },
    size: () => pending.size,
  };
}
