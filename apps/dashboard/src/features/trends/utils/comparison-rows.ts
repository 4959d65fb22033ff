import { COMPARED_FIGURES, type ComparedFigure, type ComparedPeriod, type ComparisonPeriod, type FigureChange } from '@dora/domain';
import { formatDuration, formatFrequency, formatRate } from '../../../lib/format';
import { LEAD_TIME_PER_CHANGE, type MetricView, metricByKey } from '../../dora/utils/metrics';

export const PERIOD_TITLES: Record<ComparisonPeriod, string> = {
  month_to_date: 'Month to date',
  last_month: 'Last month',
  month_before: 'The month before',
  last_180_days: 'Last 180 days',
};

/** Each compared figure as the dashboard shows it; the two lead times say which is which. */
const FIGURE_VIEWS: Record<ComparedFigure, { title: string; view: MetricView }> = {
  deployment_frequency: { title: metricByKey('deployment_frequency')!.title, view: metricByKey('deployment_frequency')! },
  lead_time: { title: 'Lead time (per deployment)', view: metricByKey('lead_time')! },
  lead_time_per_change: { title: 'Lead time (per change)', view: LEAD_TIME_PER_CHANGE },
  change_failure_rate: { title: metricByKey('change_failure_rate')!.title, view: metricByKey('change_failure_rate')! },
  time_to_restore: { title: metricByKey('time_to_restore')!.title, view: metricByKey('time_to_restore')! },
  rework_rate: { title: metricByKey('rework_rate')!.title, view: metricByKey('rework_rate')! },
};

export interface ComparisonRow {
  figure: ComparedFigure;
  title: string;
  current: string;
  baseline: string;
  /** The change in the figure's unit, signed: "+0.5/day", "−2 h", "+3 pp". */
  absolute: string;
  /** The change over the baseline: "+25%"; "—" from a baseline of 0 or none. */
  relative: string;
  /** Whether the change is good news (`better` of the metric's definition); `null` without a change. */
  improved: boolean | null;
}

/** A period's six figures: current, baseline and the change, formatted. */
export function comparisonRows(period: ComparedPeriod): ComparisonRow[] {
  return COMPARED_FIGURES.map((figure) => {
    const { title, view } = FIGURE_VIEWS[figure];
    const change = period.change[figure];
    const [current, baseline] = [view.value(period.current), view.value(period.baseline)];
    // A row's frequencies read in one unit: the larger's.
    const scale = Math.max(current ?? 0, baseline ?? 0);
    const format = (value: number | null) => (value !== null && view.key === 'deployment_frequency' ? formatFrequency(value, scale) : view.format(value));
    return {
      figure,
      title,
      current: format(current),
      baseline: format(baseline),
      absolute: formatAbsolute(view, change, scale),
      relative: change.relative === null ? '—' : `${sign(change.relative)}${Math.round(Math.abs(change.relative) * 100)}%`,
      improved: change.absolute === null || change.absolute === 0 ? null : change.absolute > 0 === (view.better === 'higher'),
    };
  });
}

function formatAbsolute(view: MetricView, { absolute }: FigureChange, scale: number): string {
  if (absolute === null) return '—';
  if (absolute === 0) return '0';
  const size = Math.abs(absolute);
  switch (view.key) {
    case 'deployment_frequency':
      return sign(absolute) + formatFrequency(size, scale);
    case 'lead_time':
    case 'time_to_restore':
      return sign(absolute) + formatDuration(size);
    case 'change_failure_rate':
    case 'rework_rate':
      return `${sign(absolute)}${formatRate(size).replace('%', '')} pp`;
  }
}

const sign = (n: number) => (n > 0 ? '+' : n < 0 ? '−' : '');

/** A period's span in the org's time zone, its end (exclusive) shown as the last day it holds: "1 Nov – 30 Nov 2026". */
export function spanLabel(span: { from: string; to: string }, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' });
  const last = new Date(Math.max(Date.parse(span.from), Date.parse(span.to) - 1));
  return `${day.format(new Date(span.from))} – ${day.format(last)}`;
}
