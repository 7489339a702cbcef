import type { RateDecision } from './slidingWindow.js';

/**
 * The rate limiter port. `consume(key)` admits or refuses one request for `key` (e.g.
 * `ip:127.0.0.1`, `client:<client_id>`). The in-memory adapter answers synchronously, so the
 * hot path awaits nothing; the Redis adapter answers with a promise (shared across nodes).
 */
export interface RateLimiter {
  readonly kind: 'memory' | 'redis';
  consume(key: string): RateDecision | Promise<RateDecision>;
  close(): Promise<void>;
}
