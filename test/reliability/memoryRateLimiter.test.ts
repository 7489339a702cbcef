import { expect } from 'chai';
import { createMemoryRateLimiter } from '../../src/rateLimit/memoryRateLimiter.js';
import { decide } from '../../src/rateLimit/slidingWindow.js';

describe('rate limiting: the sliding window', () => {
  const rule = { limit: 3, windowMs: 10_000 };
  const clockAt = (start: number) => {
    let t = start;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('given a limit of 3, then 3 requests pass, the 4th is refused with a Retry-After until the next window', async () => {
    const clock = clockAt(1_000_000); // the start of a window
    const limiter = createMemoryRateLimiter({ rule, now: clock.now });
    const decisions = [1, 2, 3, 4].map(() => limiter.consume('client:a'));
    expect(decisions.map((d) => d.allowed)).to.deep.equal([true, true, true, false]);
    expect(decisions[3]!.retryAfterSeconds).to.be.within(1, 20);
    await limiter.close();
  });

  it('counts keys separately', async () => {
    const limiter = createMemoryRateLimiter({ rule: { limit: 1, windowMs: 10_000 }, now: () => 5 });
    expect(limiter.consume('a').allowed).to.equal(true);
    expect(limiter.consume('a').allowed).to.equal(false);
    expect(limiter.consume('b').allowed).to.equal(true);
    await limiter.close();
  });

  it('slides: a full previous window still weighs on the next one, then decays', async () => {
    const clock = clockAt(1_000_000);
    const limiter = createMemoryRateLimiter({ rule, now: clock.now });
    for (let i = 0; i < 3; i++) limiter.consume('k');
    clock.advance(10_000); // start of the next window: the previous weighs fully
    expect(limiter.consume('k').allowed).to.equal(false);
    clock.advance(4_000); // 60 % of it left: 1.8 + 0 + 1 ≤ 3
    expect(limiter.consume('k').allowed).to.equal(true);
    clock.advance(30_000); // two windows idle: a fresh start
    expect([1, 2, 3].map(() => limiter.consume('k').allowed)).to.deep.equal([true, true, true]);
    await limiter.close();
  });

  it('refused requests are not counted, so waiting Retry-After seconds is enough', async () => {
    const clock = clockAt(1_003_000);
    const limiter = createMemoryRateLimiter({ rule, now: clock.now });
    for (let i = 0; i < 3; i++) limiter.consume('k');
    let refused = limiter.consume('k');
    for (let i = 0; i < 100; i++) refused = limiter.consume('k'); // hammering does not extend the wait
    expect(refused.allowed).to.equal(false);
    clock.advance(refused.retryAfterSeconds * 1000);
    expect(limiter.consume('k').allowed).to.equal(true);
  });

  it('Retry-After is never shorter than needed (property over counts and times)', () => {
    for (let current = 0; current <= 5; current++) {
      for (let previous = 0; previous <= 8; previous++) {
        for (let at = 0; at < 10_000; at += 250) {
          const d = decide(rule, 1_000_000 + at, current, previous);
          if (d.allowed) continue;
          // one millisecond before the promised time it must still be refused, at it allowed
          const later = 1_000_000 + at + d.retryAfterSeconds * 1000;
          const crossed = later - (1_000_000 + at) >= 10_000 - at; // a new window began
          const [c, p] = crossed ? (later - 1_000_000 >= 20_000 ? [0, 0] : [0, current]) : [current, previous];
          expect(decide(rule, later, c, p).allowed, `current=${current} previous=${previous} at=${at}`).to.equal(true);
        }
      }
    }
  });

  it('given more distinct keys than maxKeys, then the oldest are dropped and memory stays bounded', async () => {
    const limiter = createMemoryRateLimiter({ rule: { limit: 1, windowMs: 60_000 }, now: () => 0, maxKeys: 10 });
    for (let i = 0; i < 1000; i++) limiter.consume(`ip:${i}`);
    expect(limiter.consume('ip:999').allowed).to.equal(false); // the newest are still counted
    expect(limiter.consume('ip:0').allowed).to.equal(true); // the oldest was forgotten
    await limiter.close();
  });
});
