import { InvalidRequest, InvalidScope } from './oauthErrors.js';
import type { OAuthParams } from './http/readOAuthParams.js';

/**
 * Requested scope: RFC 6749 `scope` (space-delimited) or Oro's legacy `scopes`, not both.
 * Granted scope: the request when it is within what the application allows (invalid_scope
 * otherwise); everything allowed when nothing was asked for.
 */
export const MAX_SCOPE_LENGTH = 2048;
/** scope-token = 1*( %x21 / %x23-5B / %x5D-7E ) (RFC 6749 §3.3). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function requestedScope(params: OAuthParams): string[] | undefined {
  if (params.scope !== undefined && params.scopes !== undefined) {
    throw new InvalidRequest('use either scope or scopes, not both');
  }
  const raw = params.scope ?? params.scopes;
  if (raw === undefined) return undefined;
  if (raw.length > MAX_SCOPE_LENGTH) throw new InvalidScope(`the scope exceeds ${MAX_SCOPE_LENGTH} characters`);
  const tokens = raw.split(' ').filter((t) => t !== '');
  if (tokens.some((t) => !SCOPE_TOKEN.test(t))) throw new InvalidScope('the scope is malformed');
  return [...new Set(tokens)];
}

export function grantedScope(requested: string[] | undefined, allowed: readonly string[]): string[] {
  if (requested === undefined) return [...allowed];
  const unknown = requested.filter((s) => !allowed.includes(s));
  if (unknown.length > 0) throw new InvalidScope('the requested scope exceeds what the application may use');
  return requested;
}

export const scopeString = (scopes: readonly string[]): string => scopes.join(' ');
