import { describe, expect, it } from '@jest/globals';
import { TokenBuckets } from './token-buckets.js';

describe('TokenBuckets', () => {
  it('allows a burst of its capacity, then refills at its rate', () => {
    let now = 0;
    const buckets = new TokenBuckets({ capacity: 60, perMinute: 60 }, () => now);
    for (let i = 0; i < 60; i++) expect(buckets.take('t')).toBe(0);
    expect(buckets.take('t')).toBe(1); // one token a second
    now += 999;
    expect(buckets.take('t')).toBe(1);
    now += 1;
    expect(buckets.take('t')).toBe(0);
    expect(buckets.take('t')).toBe(1);
  });

  it('keeps one bucket per key', () => {
    const buckets = new TokenBuckets({ capacity: 1, perMinute: 1 }, () => 0);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(60);
    expect(buckets.take('b')).toBe(0);
  });

  it('never holds more than its capacity after a long pause', () => {
    let now = 0;
    const buckets = new TokenBuckets({ capacity: 2, perMinute: 2 }, () => now);
    now += 3_600_000;
    expect(buckets.take('t')).toBe(0);
    expect(buckets.take('t')).toBe(0);
    expect(buckets.take('t')).toBeGreaterThan(0);
  });

  it('can be asked without taking, for limits that count only failures', () => {
    let now = 0;
    const failures = new TokenBuckets({ capacity: 3, perMinute: 0.2 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(failures.waitSeconds('alice')).toBe(0);
      failures.take('alice');
    }
    expect(failures.waitSeconds('alice')).toBe(300); // one failure forgiven every 5 minutes
    expect(failures.waitSeconds('alice')).toBe(300);
    now += 300_000;
    expect(failures.waitSeconds('alice')).toBe(0);
  });
});
