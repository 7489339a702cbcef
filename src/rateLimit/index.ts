export type { RateLimiter } from './rateLimiter.js';
export type { RateDecision, RateLimitRule } from './slidingWindow.js';
export { createMemoryRateLimiter } from './memoryRateLimiter.js';
export { createRedisRateLimiter } from './redisRateLimiter.js';
export { createTokenRateLimits, type TokenRateLimits, type TokenRateLimitSettings } from './tokenRateLimits.js';
export { rateLimitedError } from './rateLimitedError.js';
