import { describe, expect, it } from '@jest/globals';
import { durationMs, graceHours, ttlSeconds, UsageError } from './commands.js';

describe('durationMs', () => {
  it('reads days and hours', () => {
    expect(durationMs('90d')).toBe(90 * 86_400_000);
    expect(durationMs('12h')).toBe(12 * 3_600_000);
  });

  it.each(['0d', '90', 'd', '1w', '-1d', '1.5d', '90 d'])('refuses %j', (value) => {
    expect(() => durationMs(value)).toThrow(UsageError);
  });
});

describe('ttlSeconds', () => {
  it('reads seconds, minutes and hours from 60 s to 1 h', () => {
    expect(ttlSeconds('15m')).toBe(900);
    expect(ttlSeconds('1h')).toBe(3600);
    expect(ttlSeconds('60')).toBe(60);
    expect(ttlSeconds('90s')).toBe(90);
  });

  it.each(['59s', '2h', '61m', 'forever', ''])('refuses %j', (value) => {
    expect(() => ttlSeconds(value)).toThrow(UsageError);
  });
});

describe('graceHours', () => {
  it('reads hours from 0 to 720', () => {
    expect(graceHours('24h')).toBe(24);
    expect(graceHours('0')).toBe(0);
    expect(graceHours('720h')).toBe(720);
  });

  it.each(['721h', '1d', '-1h', 'soon', ''])('refuses %j', (value) => {
    expect(() => graceHours(value)).toThrow(UsageError);
  });
});
