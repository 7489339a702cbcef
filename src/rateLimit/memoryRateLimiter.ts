import type { RateLimiter } from './rateLimiter.js';
import { decide, windowIndex, type RateDecision, type RateLimitRule } from './slidingWindow.js';

/**
 * In-process sliding-window counters (one node). Entries idle for two windows are dropped
 * by a sweep every window; the map is also capped (`maxKeys`) so a flood of distinct keys
 * cannot grow memory without bound — when full, the oldest entries go first.
 */
interface Counter {
  window: number;
  current: number;
  previous: number;
}

export interface MemoryRateLimiterOptions {
  rule: RateLimitRule;
  now?: () => number;
  maxKeys?: number;
}

/** Synchronous by type too, so callers (and tests) need no await. */
export type MemoryRateLimiter = Omit<RateLimiter, 'consume'> & { consume(key: string): RateDecision };

export function createMemoryRateLimiter(options: MemoryRateLimiterOptions): MemoryRateLimiter {
  const { rule } = options;
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const counters = new Map<string, Counter>();

  const sweep = (): void => {
    const oldest = windowIndex(now(), rule.windowMs) - 1;
    for (const [key, counter] of counters) if (counter.window < oldest) counters.delete(key);
  };
  const timer = setInterval(sweep, rule.windowMs);
  timer.unref();

  return {
    kind: 'memory',
    consume(key: string): RateDecision {
      const nowMs = now();
      const window = windowIndex(nowMs, rule.windowMs);
      let counter = counters.get(key);
      if (!counter) {
        if (counters.size >= maxKeys) counters.delete(counters.keys().next().value!);
        counter = { window, current: 0, previous: 0 };
        counters.set(key, counter);
      } else if (counter.window !== window) {
        counter.previous = counter.window === window - 1 ? counter.current : 0;
        counter.current = 0;
        counter.window = window;
      }
      const decision = decide(rule, nowMs, counter.current, counter.previous);
      if (decision.allowed) counter.current += 1;
      return decision;
    },
    async close() {
      clearInterval(timer);
      counters.clear();
    },
  };
}
