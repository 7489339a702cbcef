import { OAuthError } from '../tokens/oauthErrors.js';

/**
 * The refusal: 429 with Retry-After and an RFC 6749-shaped body. RFC 6749 has no code for
 * throttling; `temporarily_unavailable` (its "retry later" code) with 429 tells a client
 * library it is transient, and the status tells a human it is their rate.
 */
export function rateLimitedError(retryAfterSeconds: number): OAuthError {
  const error = new OAuthError(
    'temporarily_unavailable',
    429,
    `rate limit exceeded; retry after ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`,
  );
  error.headers['Retry-After'] = String(retryAfterSeconds);
  return error;
}
