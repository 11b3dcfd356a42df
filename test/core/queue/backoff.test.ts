import { describe, expect, it } from 'vitest';
import { backoffDelay, MAX_RETRY_AFTER_MS, parseRetryAfter, rateLimitDelay } from '../../../src/core/queue/backoff';

const policy = { baseMs: 1000, capMs: 60_000 };
const mid = () => 0.5; // no jitter: factor 1.0

describe('backoffDelay', () => {
  it('doubles from the base per retry and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, policy, mid))).toEqual([
      1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000,
    ]);
  });

  it('jitters by +-20% and never exceeds the cap', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(3200);
    expect(backoffDelay(3, policy, () => 1)).toBe(4800);
    expect(backoffDelay(10, policy, () => 1)).toBe(60_000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(2, policy);
      expect(d).toBeGreaterThanOrEqual(1600);
      expect(d).toBeLessThanOrEqual(2400);
    }
  });

  it('uses an injected base and cap (fast tests)', () => {
    expect(backoffDelay(1, { baseMs: 5, capMs: 20 }, mid)).toBe(5);
    expect(backoffDelay(9, { baseMs: 5, capMs: 20 }, mid)).toBe(20);
  });

  it('treats retry numbers below 1 as the first retry', () => {
    expect(backoffDelay(0, policy, mid)).toBe(1000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('reads delta seconds, including fractions', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('reads an HTTP date relative to now, and 0 for a past date', () => {
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('caps absurd waits', () => {
    expect(parseRetryAfter('999999', now)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('returns null when absent or unreadable', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
  });
});

describe('rateLimitDelay', () => {
  it("prefers the server's Retry-After", () => {
    expect(rateLimitDelay(2500, 4, policy, mid)).toBe(2500);
  });
  it('backs off by consecutive hits without one', () => {
    expect(rateLimitDelay(null, 1, policy, mid)).toBe(1000);
    expect(rateLimitDelay(null, 3, policy, mid)).toBe(4000);
  });
});
