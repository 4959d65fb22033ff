import type { ComparedPeriod, DoraMetrics } from '@dora/domain';
import { describe, expect, it } from 'vitest';
import { NO_METRICS } from '../../../test/fixtures';
import { comparisonRows, spanLabel } from './comparison-rows';

const HOUR = 3_600;
const metrics = (perDay: number, leadTime: number, failed: number): DoraMetrics => ({
  ...NO_METRICS,
  deployment_frequency: { value: perDay, successes: perDay * 30, band: 'elite' },
  lead_time: { ...NO_METRICS.lead_time, p50_seconds: leadTime, sample: 10, per_change: { ...NO_METRICS.lead_time.per_change, p50_seconds: leadTime * 2, sample: 20 } },
  change_failure_rate: { value: failed / 20, failed, total: 20, band: 'high' },
  rework_rate: { value: 0, rework: 0, total: 20, band: null },
});

// As the API answers it: the change is current − baseline, and that over the baseline.
const lastMonth: ComparedPeriod = {
  period: 'last_month',
  current: { from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z', days: 31, ...metrics(1.5, 2 * HOUR, 4) },
  baseline: { from: '2026-09-01T00:00:00.000Z', to: '2026-10-01T00:00:00.000Z', days: 30, ...metrics(1, 26 * HOUR, 2) },
  change: {
    deployment_frequency: { absolute: 0.5, relative: 0.5 },
    lead_time: { absolute: -24 * HOUR, relative: -24 / 26 },
    lead_time_per_change: { absolute: -48 * HOUR, relative: -24 / 26 },
    change_failure_rate: { absolute: 0.1, relative: 1 },
    time_to_restore: { absolute: null, relative: null },
    rework_rate: { absolute: 0, relative: null },
  },
};

describe('comparison rows', () => {
  it('show each figure now and then, the change signed in its unit and relative, and whether it is better or worse', () => {
    expect(comparisonRows(lastMonth).map((row) => [row.title, row.current, row.baseline, row.absolute, row.relative, row.improved])).toEqual([
      ['Deployment frequency', '1.5/day', '1/day', '+0.5/day', '+50%', true],
      ['Lead time (per deployment)', '2 h', '1.1 days', '−1 day', '−92%', true],
      ['Lead time (per change)', '4 h', '2.2 days', '−2 days', '−92%', true],
      ['Change-failure rate', '20%', '10%', '+10 pp', '+100%', false],
      ['Time to restore', '—', '—', '—', '—', null],
      ['Rework rate', '0%', '0%', '0', '—', null],
    ]);
  });

  it('says a row’s frequencies in one unit, the larger’s', () => {
    const fewer: ComparedPeriod = {
      ...lastMonth,
      current: { ...lastMonth.current, deployment_frequency: { value: 0.07, successes: 2, band: 'medium' } },
      baseline: { ...lastMonth.baseline, deployment_frequency: { value: 0.2, successes: 6, band: 'high' } },
      change: { ...lastMonth.change, deployment_frequency: { absolute: -0.13, relative: -0.65 } },
    };
    const [frequency] = comparisonRows(fewer);
    expect([frequency!.current, frequency!.baseline, frequency!.absolute, frequency!.relative, frequency!.improved]).toEqual(['0.5/week', '1.4/week', '−0.9/week', '−65%', false]);
  });
});

describe('period spans', () => {
  it('show the last day a period holds, in the org’s time zone', () => {
    expect(spanLabel({ from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' }, 'UTC')).toBe('1 Oct 2026 – 31 Oct 2026');
    expect(spanLabel({ from: '2026-09-30T22:00:00.000Z', to: '2026-10-31T23:00:00.000Z' }, 'Europe/Berlin')).toBe('1 Oct 2026 – 31 Oct 2026');
    // Month to date at its first instant: an empty span is the one day.
    expect(spanLabel({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' }, 'UTC')).toBe('1 Nov 2026 – 1 Nov 2026');
  });
});
