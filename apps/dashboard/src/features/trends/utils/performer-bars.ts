import type { BandCounts, BandedMetric, DoraPerformers } from '@dora/domain';

/** The stacks of a bar, best first, and what each is called. */
export const STACKS: { key: keyof BandCounts; title: string }[] = [
  { key: 'elite', title: 'Elite' },
  { key: 'high', title: 'High' },
  { key: 'medium', title: 'Medium' },
  { key: 'low', title: 'Low' },
  { key: 'no_data', title: 'Not enough data' },
];

export interface PerformersBar extends BandCounts {
  /** YYYY-MM */
  month: string;
  partial: boolean;
  counted: number;
}

/** One metric's months as stacked bars: how many repos (or teams) were in each band. */
export function toPerformerBars(performers: DoraPerformers, metric: BandedMetric): PerformersBar[] {
  return performers.months.map((month) => ({ month: month.month, partial: month.partial, counted: month.counted, ...month.metrics[metric] }));
}

const monthYear = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'short', year: 'numeric' });

/** "2026-11" → "Nov 2026". */
export function monthLabel(month: string): string {
  return monthYear.format(new Date(`${month}-01T00:00:00Z`));
}
