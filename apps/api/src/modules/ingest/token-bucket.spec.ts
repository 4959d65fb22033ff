import { describe, expect, it } from '@jest/globals';
import { TokenBuckets } from './token-bucket.js';

describe('TokenBuckets', () => {
  it('allows a burst of the per-minute limit, then refills at the limit per minute', () => {
    let now = 0;
    const buckets = new TokenBuckets(60, () => now);
    for (let i = 0; i < 60; i++) expect(buckets.take('t')).toBe(0);
    expect(buckets.take('t')).toBe(1); // one token a second
    now += 999;
    expect(buckets.take('t')).toBe(1);
    now += 1;
    expect(buckets.take('t')).toBe(0);
    expect(buckets.take('t')).toBe(1);
  });

  it('keeps one bucket per key', () => {
    const buckets = new TokenBuckets(1, () => 0);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(60);
    expect(buckets.take('b')).toBe(0);
  });

  it('never holds more than the limit after a long pause', () => {
    let now = 0;
    const buckets = new TokenBuckets(2, () => now);
    now += 3_600_000;
    expect(buckets.take('t')).toBe(0);
    expect(buckets.take('t')).toBe(0);
    expect(buckets.take('t')).toBeGreaterThan(0);
  });
});
