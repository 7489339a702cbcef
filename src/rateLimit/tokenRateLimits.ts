import type { RateLimiter } from './rateLimiter.js';
import { createMemoryRateLimiter } from './memoryRateLimiter.js';
import { createRedisRateLimiter } from './redisRateLimiter.js';
import { rateLimitedError } from './rateLimitedError.js';
import type { RateDecision } from './slidingWindow.js';

/**
 * The two limits of the OAuth endpoints (token, introspection, revocation): per client IP,
 * checked before the body is read, and per client_id, checked right after the client
 * authenticated (so only the real client's own requests count against it). Each is off when
 * its limit is 0. In memory by default; in Redis (shared by all nodes) when a URL is given.
 */
export interface TokenRateLimitSettings {
  perClient: number;
  perIp: number;
  windowSeconds: number;
  redisUrl?: string;
}

export interface TokenRateLimits {
  readonly kind: 'off' | 'memory' | 'redis';
  /** Per IP: a decision, synchronous in memory. Undefined when the IP limit is off. */
  readonly admitIp: ((ip: string) => RateDecision | Promise<RateDecision>) | undefined;
  /** Per client: throws (or rejects with) a 429 OAuthError when over the limit. */
  readonly admitClient: ((clientId: string) => void | Promise<void>) | undefined;
  close(): Promise<void>;
}

export function createTokenRateLimits(
  settings: TokenRateLimitSettings,
  options: { now?: () => number; onError?: (error: Error) => void } = {},
): TokenRateLimits {
  const windowMs = settings.windowSeconds * 1000;
  const limiters: RateLimiter[] = [];
  const make = (limit: number, prefix: string): RateLimiter | undefined => {
    if (limit <= 0) return undefined;
    const rule = { limit, windowMs };
    const limiter = settings.redisUrl
      ? createRedisRateLimiter({ url: settings.redisUrl, rule, prefix: `tollgate:ratelimit:${prefix}`, ...options })
      : createMemoryRateLimiter({ rule, ...(options.now ? { now: options.now } : {}) });
    limiters.push(limiter);
    return limiter;
  };
  const ipLimiter = make(settings.perIp, 'ip');
  const clientLimiter = make(settings.perClient, 'client');

  const refuse = (decision: RateDecision): void => {
    if (!decision.allowed) throw rateLimitedError(decision.retryAfterSeconds);
  };
  return {
    kind: limiters.length === 0 ? 'off' : settings.redisUrl ? 'redis' : 'memory',
    admitIp: ipLimiter ? (ip) => ipLimiter.consume(ip) : undefined,
    admitClient: clientLimiter
      ? (clientId) => {
          const decision = clientLimiter.consume(clientId);
          return decision instanceof Promise ? decision.then(refuse) : refuse(decision);
        }
      : undefined,
    async close() {
      await Promise.all(limiters.map((l) => l.close()));
    },
  };
}
