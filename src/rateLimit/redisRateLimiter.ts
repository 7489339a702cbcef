import { Redis } from 'ioredis';
import type { RateLimiter } from './rateLimiter.js';
import { ALLOWED, decide, previousWeight, windowIndex, type RateDecision, type RateLimitRule } from './slidingWindow.js';

/**
 * Sliding-window counters in Redis, shared by every node (the only file of this folder that
 * imports ioredis). One Lua script reads both windows, decides and increments atomically, so
 * racing nodes cannot both take the last slot. Keys carry a hash tag, so both windows of a
 * key live in one cluster slot, and expire after two windows.
 *
 * Redis down or slow fails open: the request is admitted and the error reported (throttling
 * is protection, not a dependency — the token endpoint keeps serving without Redis).
 */
const SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
if previous * tonumber(ARGV[2]) + current + 1 > tonumber(ARGV[1]) then
  return {0, current, previous}
end
current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, current, previous}
`;

type ScriptResult = [number, number, number];
type LimiterRedis = Redis & {
  tollgateRateLimit(current: string, previous: string, limit: number, weight: string, ttlMs: number): Promise<ScriptResult>;
};

export interface RedisRateLimiterOptions {
  url: string;
  rule: RateLimitRule;
  /** Prefix of every key (default `tollgate:ratelimit`). */
  prefix?: string;
  now?: () => number;
  /** How long one check may wait for Redis before the request is admitted anyway. */
  commandTimeoutMs?: number;
  onError?: (error: Error) => void;
}

export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const { rule } = options;
  const now = options.now ?? Date.now;
  const prefix = options.prefix ?? 'tollgate:ratelimit';
  const redis = new Redis(options.url, {
    enableOfflineQueue: false, // disconnected → fail at once, not queue
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 200,
    lazyConnect: false,
  }) as LimiterRedis;
  redis.defineCommand('tollgateRateLimit', { numberOfKeys: 2, lua: SCRIPT });
  let failing = false;
  const report = (error: Error): void => {
    if (!failing) options.onError?.(error); // once per outage, not once per request
    failing = true;
  };
  redis.on('error', report);
  redis.on('ready', () => (failing = false));

  return {
    kind: 'redis',
    async consume(key: string): Promise<RateDecision> {
      const nowMs = now();
      const window = windowIndex(nowMs, rule.windowMs);
      const weight = previousWeight(nowMs, rule.windowMs);
      try {
        const [allowed, current, previous] = await redis.tollgateRateLimit(
          `${prefix}:{${key}}:${window}`,
          `${prefix}:{${key}}:${window - 1}`,
          rule.limit,
          String(weight),
          rule.windowMs * 2,
        );
        if (allowed === 1) return ALLOWED;
        const decision = decide(rule, nowMs, current, previous);
        return decision.allowed ? { allowed: false, retryAfterSeconds: 1 } : decision;
      } catch (error) {
        report(error as Error);
        return ALLOWED;
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
