import type { DoraSummary } from '@dora/domain';
import { describe, expect, it } from 'vitest';
import { NO_METRICS, pointOf, seriesOf } from '../../../test/fixtures';
import { changeAgainst } from './change';
import { METRICS, metricByKey } from './metrics';
import { toChartPoints } from './series-points';

const point = (date: string, successes: number, p50: number | null) =>
  pointOf(date, `${date}T23:59:59.000Z`, {
    ...NO_METRICS,
    deployment_frequency: { value: successes, successes, band: successes > 0 ? 'elite' : 'low' },
    lead_time: { ...NO_METRICS.lead_time, p50_seconds: p50, p95_seconds: p50, sample: p50 === null ? 0 : 1 },
  });

describe('series → sparkline points', () => {
  it('takes each day’s value of the metric, keeping days without data as gaps', () => {
    const series = seriesOf('day', [point('2026-11-01', 3, 4100), point('2026-11-02', 0, null)]);
    expect(toChartPoints(series, metricByKey('deployment_frequency')!).map((p) => p.value)).toEqual([3, 0]);
    expect(toChartPoints(series, metricByKey('lead_time')!)).toEqual([
      { date: '2026-11-01', from: '2026-11-01T00:00:00.000Z', to: '2026-11-01T23:59:59.000Z', value: 4100 },
      { date: '2026-11-02', from: '2026-11-02T00:00:00.000Z', to: '2026-11-02T23:59:59.000Z', value: null },
    ]);
  });
});

describe('change against the previous window', () => {
  const rate = metricByKey('change_failure_rate')!;
  const frequency = metricByKey('deployment_frequency')!;
  it('knows which way is better, and says by how much in the metric’s terms', () => {
    expect(changeAgainst(0.1, 0.2, 'lower', rate.describeChange)).toEqual({ direction: 'down', improved: true, delta: '10 pp' });
    expect(changeAgainst(0.3, 0.2, 'lower', rate.describeChange)).toEqual({ direction: 'up', improved: false, delta: '10 pp' });
    expect(changeAgainst(2, 1, 'higher', frequency.describeChange)).toEqual({ direction: 'up', improved: true, delta: '100%' });
    expect(changeAgainst(1, 0, 'higher', frequency.describeChange)).toEqual({ direction: 'up', improved: true, delta: '1/day' });
    expect(changeAgainst(3600, 7200, 'lower', metricByKey('lead_time')!.describeChange)).toEqual({ direction: 'down', improved: true, delta: '1 h' });
    expect(changeAgainst(1, 1, 'higher', frequency.describeChange)).toEqual({ direction: 'same', improved: null, delta: '0%' });
  });

  it('says nothing when a side has no data', () => {
    expect(changeAgainst(null, 1, 'higher', frequency.describeChange)).toBeNull();
    expect(changeAgainst(1, null, 'higher', frequency.describeChange)).toBeNull();
  });
});

describe('metric views', () => {
  const summary = {
    deployment_frequency: { value: 1.4, successes: 42, band: 'elite' },
    lead_time: { p50_seconds: 5400, p95_seconds: 172800, sample: 38, without_commit: 3, excluded_negative: 1, band: 'elite' },
    change_failure_rate: { value: 0.0454545, failed: 2, total: 44, band: 'elite' },
    time_to_restore: { median_seconds: 1800, restored: 2, open: 1, oldest_open_seconds: 7200, band: 'elite' },
    rework_rate: { value: 0.0227273, rework: 1, total: 44, band: null },
  } as DoraSummary;

  it('read the headline, the sample and the exclusions off a summary', () => {
    const text = METRICS.map((m) => [m.format(m.value(summary)), m.sample(summary)]);
    expect(text).toEqual([
      ['1.4/day', '42 successful deploys'],
      ['1.5 h', 'p95 2 days · 38 deploys measured'],
      ['4.5%', '2 of 44 deploys failed or were rework'],
      ['30 min', '2 failures restored · 1 open (oldest 2 h)'],
      ['2.3%', '1 of 44 deploys were rework'],
    ]);
    expect(metricByKey('lead_time')!.exclusions(summary)).toEqual([
      '3 successful deploys without commit_sha or committed_at',
      '1 deploy whose commit is later than the deploy',
      'Failed deploys never enter lead time.',
    ]);
    expect(metricByKey('rework_rate')!.band(summary)).toBeNull();
  });
});
