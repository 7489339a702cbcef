import type { Context, Middleware, Next } from 'koa';
import { writeOAuthError } from '../tokens/http/oauthErrorResponse.js';
import { INTROSPECTION_PATH, REVOCATION_PATH, TOKEN_PATH } from '../tokens/metadata.js';
import { rateLimitedError } from './rateLimitedError.js';
import type { RateDecision } from './slidingWindow.js';

const LIMITED_PATHS = new Set([TOKEN_PATH, INTROSPECTION_PATH, REVOCATION_PATH]);

/**
 * Per-IP limit of the OAuth POST endpoints, before the body is read. `ctx.ip` is the socket
 * address (the app does not trust X-Forwarded-For), so it cannot be forged by a header.
 * In memory the check is synchronous: nothing is awaited on the hot path.
 */
export function ipRateLimitMiddleware(admitIp: (ip: string) => RateDecision | Promise<RateDecision>): Middleware {
  const proceed = (ctx: Context, next: Next, decision: RateDecision): Promise<void> | void => {
    if (decision.allowed) return next();
    writeOAuthError(ctx, rateLimitedError(decision.retryAfterSeconds));
  };
  return (ctx, next) => {
    if (ctx.method !== 'POST' || !LIMITED_PATHS.has(ctx.path)) return next();
    const decision = admitIp(ctx.ip);
    return decision instanceof Promise ? decision.then((d) => proceed(ctx, next, d)) : proceed(ctx, next, decision);
  };
}
