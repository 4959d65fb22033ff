import type { Band, DoraSeries, SeriesInterval } from '@dora/domain';
import { formatFrequency } from '../../../lib/format';
import type { MetricView } from '../../dora/utils/metrics';

/** One period of a metric's trend, as the chart draws it and its tooltip tells it. */
export interface TrendPoint {
  /** The local date the period starts, YYYY-MM-DD. */
  date: string;
  from: string;
  to: string;
  partial: boolean;
  /** `null` draws a gap: a period without the data this metric needs. */
  value: number | null;
  /** `null`: too little data for a band, or a metric without bands. */
  band: Band | null;
  /** What the value was computed over, in words. */
  sample: string;
}

export function toTrendPoints(series: DoraSeries, metric: MetricView): TrendPoint[] {
  return series.points.map((point) => ({
    date: point.date,
    from: point.from,
    to: point.to,
    partial: point.partial,
    value: metric.value(point),
    band: metric.band(point),
    sample: metric.sample(point),
  }));
}

/** The value axis' ticks: frequencies all in the unit of the largest value, so that they compare at a glance. */
export function axisTick(metric: MetricView, points: TrendPoint[]): (value: number) => string {
  const largest = Math.max(0, ...points.map((p) => p.value ?? 0));
  return (value) => (value === 0 ? '0' : metric.key === 'deployment_frequency' ? formatFrequency(value, largest) : metric.format(value));
}

const fromDate = (date: string) => new Date(`${date}T00:00:00Z`);
// The series' dates are already local to the org: formatted in UTC, they stay the same day.
const dayMonthYear = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
const dayMonth = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
const monthYear = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'short', year: 'numeric' });

/** A period in words: "25 Nov 2026", "Week of 23 Nov 2026", "Nov 2026". */
export function periodLabel(date: string, interval: SeriesInterval): string {
  switch (interval) {
    case 'day':
      return dayMonthYear.format(fromDate(date));
    case 'week':
      return `Week of ${dayMonthYear.format(fromDate(date))}`;
    case 'month':
      return monthYear.format(fromDate(date));
  }
}

/** A period on the chart's axis: "25 Nov", or "Nov 2026" for a month. */
export function periodTick(date: string, interval: SeriesInterval): string {
  return interval === 'month' ? monthYear.format(fromDate(date)) : dayMonth.format(fromDate(date));
}

/** How the intervals are said: "30 days", "12 weeks". */
export function periodsLabel(count: number, interval: SeriesInterval): string {
  return `${count} ${interval}${count === 1 ? '' : 's'}`;
}
