import { describe, expect, it } from '@jest/globals';
import { localDate, localMidnight, percentileCont, referenceSeries } from './reference.js';

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

describe('weeks and months', () => {
  const none: never[] = [];
  const series = (interval: 'week' | 'month', periods: number, asOf: string, timeZone = 'Europe/Berlin') =>
    referenceSeries(none, { environment: 'production', repo: null, days: 0, asOf: Date.parse(asOf), timeZone, interval, periods });

  it('start on Monday 00:00 local time; the week the clocks go back has 169 hours, the one they go forward 167', () => {
    const [spring] = series('week', 1, '2026-03-27T12:00:00Z');
    expect([spring!.date, spring!.from]).toEqual(['2026-03-23', '2026-03-22T23:00:00.000Z']);
    const [, autumn] = series('week', 2, '2026-11-01T12:00:00Z'); // as_of on a Sunday: its week starts Monday 26 October
    const [october] = series('week', 2, '2026-11-01T12:00:00Z');
    expect([october!.date, october!.from, october!.to]).toEqual(['2026-10-19', '2026-10-18T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect((Date.parse(october!.to) - Date.parse(october!.from)) / 3_600_000).toBe(169);
    expect(october!.partial).toBe(false);
    expect([autumn!.date, autumn!.partial, autumn!.to]).toEqual(['2026-10-26', true, '2026-11-01T12:00:00.000Z']);
    const [full] = series('week', 2, '2026-04-05T12:00:00Z');
    expect((Date.parse(full!.to) - Date.parse(full!.from)) / 3_600_000).toBe(167);
  });

  it('months start on the 1st, and a frequency is per local calendar day: 7 a week whatever its hours', () => {
    const points = series('month', 3, '2024-03-15T06:00:00Z');
    expect(points.map((p) => [p.date, p.from, p.to, p.partial])).toEqual([
      ['2024-01-01', '2023-12-31T23:00:00.000Z', '2024-01-31T23:00:00.000Z', false],
      ['2024-02-01', '2024-01-31T23:00:00.000Z', '2024-02-29T23:00:00.000Z', false],
      ['2024-03-01', '2024-02-29T23:00:00.000Z', '2024-03-15T06:00:00.000Z', true],
    ]);
    const oneADay = (from: string, days: number) =>
      Array.from({ length: days }, (_, i) => ({
        repo_full_name: 'acme/web',
        environment: 'production',
        service: null,
        team: null,
        deployed_at: Date.parse(from) + i * 86_400_000 + 3_600_000,
        commit_sha: null,
        committed_at: null,
        success: true,
        is_rework: false,
        order: i,
      }));
    // A deploy every day of the 169-hour week: 7 in 7 local days, 1 a day (Elite), not 7 in 7.04.
    const [week] = referenceSeries(oneADay('2026-10-19T00:00:00Z', 7), {
      environment: 'production',
      repo: null,
      days: 0,
      asOf: Date.parse('2026-10-28T12:00:00Z'),
      timeZone: 'Europe/Berlin',
      interval: 'week',
      periods: 2,
    });
    expect(week!.deployment_frequency).toEqual({ value: 1, successes: 7, band: 'elite' });
  });
});
