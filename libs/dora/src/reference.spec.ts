import { describe, expect, it } from '@jest/globals';
import { localDate, localMidnight, percentileCont } from './reference.js';

describe('percentileCont (PostgreSQL percentile_cont)', () => {
  it('interpolates between the nearest ranks', () => {
    // positions: 0.5·3 = 1.5 → 20 + 0.5·(30 − 20); 0.95·3 = 2.85 → 30 + 0.85·(40 − 30)
    expect(percentileCont([40, 10, 30, 20], 0.5)).toBe(25);
    expect(percentileCont([40, 10, 30, 20], 0.95)).toBeCloseTo(38.5, 10);
  });

  it('answers the value itself for one value, and null for none', () => {
    expect(percentileCont([7], 0.95)).toBe(7);
    expect(percentileCont([], 0.5)).toBeNull();
  });
});

describe('local days', () => {
  it('finds local midnight in UTC and in fixed offsets', () => {
    expect(new Date(localMidnight('2026-05-14', 'UTC')).toISOString()).toBe('2026-05-14T00:00:00.000Z');
    expect(new Date(localMidnight('2026-05-14', 'Asia/Kolkata')).toISOString()).toBe('2026-05-13T18:30:00.000Z');
  });

  it('follows daylight saving time: the day the clocks go back has 25 hours', () => {
    // Europe/Berlin leaves summer time on 2026-10-25 at 03:00 CEST (01:00 UTC).
    const start = localMidnight('2026-10-25', 'Europe/Berlin');
    const end = localMidnight('2026-10-26', 'Europe/Berlin');
    expect(new Date(start).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(new Date(end).toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect((end - start) / 3_600_000).toBe(25);
  });

  it('and the day they go forward has 23', () => {
    const berlin = (localMidnight('2026-03-30', 'Europe/Berlin') - localMidnight('2026-03-29', 'Europe/Berlin')) / 3_600_000;
    expect(berlin).toBe(23);
  });

  it('names the local date of an instant', () => {
    expect(localDate(Date.parse('2026-10-25T22:30:00Z'), 'Europe/Berlin')).toBe('2026-10-25');
    expect(localDate(Date.parse('2026-10-25T23:00:00Z'), 'Europe/Berlin')).toBe('2026-10-26');
    expect(localDate(Date.parse('2026-05-13T18:29:59Z'), 'Asia/Kolkata')).toBe('2026-05-13');
  });
});
