/**
 * Redirect URIs of authorization_code applications (RFC 9700 §2.1, §4.1): absolute https
 * URLs, or http on a loopback host only (127.0.0.1, [::1], localhost; RFC 8252 §7.3); no
 * fragment (RFC 6749 §3.1.2), no userinfo. Registered as written and compared exactly,
 * character for character, at the authorization and token endpoints.
 */
export const MAX_REDIRECT_URIS = 10;
export const MAX_REDIRECT_URI_LENGTH = 2048;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export const REDIRECT_URI_RULE =
  'must be an absolute https URL (http only on 127.0.0.1, [::1] or localhost) without fragment or userinfo';

export function isValidRedirectUri(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_REDIRECT_URI_LENGTH) return false;
  if (value.includes('#') || /[\s\x00-\x1f\x7f]/.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '' || value.includes('@')) return false;
  if (url.protocol === 'https:') return url.hostname !== '';
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/** Exact match against the registered list (no normalisation: case, path and query count). */
export const isRegisteredRedirectUri = (registered: readonly string[], presented: string): boolean =>
  registered.includes(presented);
