import { describe, expect, it } from 'vitest';
import { NO_METRICS, pointOf, seriesOf } from '../../../test/fixtures';
import { LEAD_TIME_PER_CHANGE, metricByKey } from '../../dora/utils/metrics';
import { axisTick, periodLabel, periodTick, toTrendPoints } from './trend-points';

const HOUR = 3_600;
const weeks = seriesOf('week', [
  pointOf('2026-11-16', '2026-11-23T00:00:00.000Z', {
    ...NO_METRICS,
    lead_time: {
      ...NO_METRICS.lead_time,
      p50_seconds: 2 * HOUR,
      p95_seconds: 3 * HOUR,
      sample: 4,
      band: 'elite',
      per_change: { ...NO_METRICS.lead_time.per_change, p50_seconds: 9 * 24 * HOUR, p95_seconds: 10 * 24 * HOUR, sample: 12, deployments_with_changes: 4, band: 'medium' },
    },
  }),
  pointOf('2026-11-23', '2026-11-25T10:30:00.000Z', NO_METRICS, true),
]);

describe('series → trend points', () => {
  it('takes each period’s value, band and sample of the metric, keeping periods without data as gaps', () => {
    expect(toTrendPoints(weeks, metricByKey('lead_time')!)).toEqual([
      { date: '2026-11-16', from: '2026-11-16T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z', partial: false, value: 7200, band: 'elite', sample: 'p95 3 h · 4 deploys measured' },
      { date: '2026-11-23', from: '2026-11-23T00:00:00.000Z', to: '2026-11-25T10:30:00.000Z', partial: true, value: null, band: null, sample: 'p95 — · 0 deploys measured' },
    ]);
  });

  it('reads lead time per change when that is the view asked for', () => {
    const [first] = toTrendPoints(weeks, LEAD_TIME_PER_CHANGE);
    expect(first).toMatchObject({ value: 9 * 24 * HOUR, band: 'medium', sample: 'p95 10 days · 12 commits in 4 deploys' });
  });

  it('says the deployment frequency of a day as its count, and has no band for rework', () => {
    const days = seriesOf('day', [pointOf('2026-11-25', '2026-11-26T00:00:00.000Z', { ...NO_METRICS, deployment_frequency: { value: 3, successes: 3, band: 'elite' } })]);
    const frequency = metricByKey('deployment_frequency')!;
    const [day] = toTrendPoints(days, frequency);
    expect([frequency.format(day!.value), day!.band, day!.sample]).toEqual(['3/day', 'elite', '3 successful deploys']);
    expect(toTrendPoints(days, metricByKey('rework_rate')!)[0]!.band).toBeNull();
  });
});

describe('period labels', () => {
  it('say the day, the week by its Monday, or the month, whatever the browser’s time zone', () => {
    expect(periodLabel('2026-11-25', 'day')).toBe('25 Nov 2026');
    expect(periodLabel('2026-11-23', 'week')).toBe('Week of 23 Nov 2026');
    expect(periodLabel('2026-11-01', 'month')).toBe('Nov 2026');
    expect(periodTick('2026-11-23', 'week')).toBe('23 Nov');
    expect(periodTick('2026-11-01', 'month')).toBe('Nov 2026');
  });
});

describe('the value axis', () => {
  it('says frequencies in the unit of the largest value, the rest as the metric does', () => {
    const frequency = metricByKey('deployment_frequency')!;
    const points = toTrendPoints(seriesOf('week', [pointOf('2026-11-16', '2026-11-23T00:00:00.000Z', { ...NO_METRICS, deployment_frequency: { value: 0.5, successes: 3, band: 'high' } })]), frequency);
    expect([0, 0.1, 0.5].map(axisTick(frequency, points))).toEqual(['0', '0.7/week', '3.5/week']);
    expect([0, 1800, 7200].map(axisTick(metricByKey('time_to_restore')!, []))).toEqual(['0', '30 min', '2 h']);
  });
});
