/**
 * The sliding-window counter both limiter adapters share (pure: the caller passes the time
 * and the two counters). Time is cut into fixed windows; the rate over the last `windowMs`
 * is estimated as `previous × (share of the previous window still inside) + current`. Only
 * admitted requests are counted, so a client that keeps knocking while refused is told the
 * truth by Retry-After, and an attacker spamming a client_id cannot starve the real client
 * (the per-client limit counts authenticated requests only).
 */
export interface RateLimitRule {
  /** Requests admitted per window; 0 turns the rule off. */
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one more request would be admitted (≥ 1 when refused, 0 when allowed). */
  retryAfterSeconds: number;
}

export const ALLOWED: RateDecision = Object.freeze({ allowed: true, retryAfterSeconds: 0 });

export const windowIndex = (nowMs: number, windowMs: number): number => Math.floor(nowMs / windowMs);

/** Share of the previous window that still lies inside the sliding window ending now. */
export const previousWeight = (nowMs: number, windowMs: number): number => 1 - (nowMs % windowMs) / windowMs;

/** Whether one more request fits, given the admitted counts of this and the previous window. */
export function decide(rule: RateLimitRule, nowMs: number, current: number, previous: number): RateDecision {
  const weight = previousWeight(nowMs, rule.windowMs);
  if (previous * weight + current + 1 <= rule.limit) return ALLOWED;
  return { allowed: false, retryAfterSeconds: retryAfterSeconds(rule, nowMs, current, previous) };
}

/** Milliseconds until the estimate leaves room for one request, rounded up to seconds. */
function retryAfterSeconds(rule: RateLimitRule, nowMs: number, current: number, previous: number): number {
  const { limit, windowMs } = rule;
  const elapsed = nowMs % windowMs;
  let waitMs: number;
  if (current + 1 <= limit) {
    // Within this window: wait until the previous window's share has decayed enough.
    waitMs = windowMs * (1 - (limit - current - 1) / previous) - elapsed;
  } else {
    // This window is full: wait for the next one, then for this window's share to decay.
    const next = current > 0 ? windowMs * (1 - (limit - 1) / current) : 0;
    waitMs = windowMs - elapsed + Math.max(0, next);
  }
  return Math.max(1, Math.ceil(waitMs / 1000));
}
