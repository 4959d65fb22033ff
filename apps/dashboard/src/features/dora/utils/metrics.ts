import {
  type Band,
  type DoraMetrics,
  type LeadTimeBasis,
  METRIC_DEFINITIONS,
  METRIC_KEYS,
  type MetricDefinition,
  type MetricKey,
  PER_CHANGE_LEAD_TIME_DEFINITION,
} from '@dora/domain';
import { formatDuration, formatFrequency, formatRate } from '../../../lib/format';

/**
 * How the dashboard shows one DORA metric: its number, its band, its sample, and what it means. The
 * title, the definition (with its bands) and which way is better are the contract's (`METRIC_DEFINITIONS`);
 * the rest is how this dashboard presents them.
 */
export interface MetricView extends MetricDefinition {
  key: MetricKey;
  /** The headline number (a rate, seconds or deploys a day), `null` without data. */
  value(m: DoraMetrics): number | null;
  format(value: number | null): string;
  /** How much it moved since the previous window, in words. */
  describeChange(current: number, previous: number): string;
  band(m: DoraMetrics): Band | null;
  /** What the number was computed over, and what was left out. */
  sample(m: DoraMetrics): string;
  exclusions(m: DoraMetrics): string[];
  /** Which deployments are behind a value (of a day, week or month): the ones the metric counts. */
  behind: { success?: boolean; is_rework?: boolean };
  /** Lead time's two ways of counting: "per deployment" or "per change". */
  basis?: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** Durations: the difference itself. */
const durationChange = (current: number, previous: number) => formatDuration(Math.abs(current - previous));
/** Rates: the difference in percentage points. */
const rateChange = (current: number, previous: number) => `${formatRate(Math.abs(current - previous)).replace('%', '')} pp`;

/** The dashboard-only parts of each metric's view. */
const PRESENTATION: Record<MetricKey, Omit<MetricView, 'key' | keyof MetricDefinition>> = {
  deployment_frequency: {
    value: (m) => m.deployment_frequency.value,
    format: (v) => (v === null ? '—' : formatFrequency(v)),
    // Frequencies read best relative: "40% more deploys".
    describeChange: (current, previous) => (previous === 0 ? formatFrequency(current) : `${Math.round((Math.abs(current - previous) / previous) * 100)}%`),
    band: (m) => m.deployment_frequency.band,
    sample: (m) => plural(m.deployment_frequency.successes, 'successful deploy'),
    exclusions: () => ['Failed deploys are not counted.'],
    behind: { success: true },
  },
  lead_time: {
    value: (m) => m.lead_time.p50_seconds,
    format: formatDuration,
    describeChange: durationChange,
    band: (m) => m.lead_time.band,
    sample: (m) => `p95 ${formatDuration(m.lead_time.p95_seconds)} · ${plural(m.lead_time.sample, 'deploy')} measured`,
    exclusions: (m) => [
      `${plural(m.lead_time.without_commit, 'successful deploy')} without commit_sha or committed_at`,
      `${plural(m.lead_time.excluded_negative, 'deploy')} whose commit is later than the deploy`,
      'Failed deploys never enter lead time.',
    ],
    behind: { success: true },
    basis: 'per deployment',
  },
  change_failure_rate: {
    value: (m) => m.change_failure_rate.value,
    format: formatRate,
    describeChange: rateChange,
    band: (m) => m.change_failure_rate.band,
    sample: (m) => `${m.change_failure_rate.failed} of ${plural(m.change_failure_rate.total, 'deploy')} failed or were rework`,
    exclusions: () => [],
    behind: {},
  },
  time_to_restore: {
    value: (m) => m.time_to_restore.median_seconds,
    format: formatDuration,
    describeChange: durationChange,
    band: (m) => m.time_to_restore.band,
    sample: (m) =>
      `${plural(m.time_to_restore.restored, 'failure')} restored · ${m.time_to_restore.open} open` +
      (m.time_to_restore.oldest_open_seconds === null ? '' : ` (oldest ${formatDuration(m.time_to_restore.oldest_open_seconds)})`),
    exclusions: (m) => [`${plural(m.time_to_restore.open, 'failure')} with no later success yet (open): in the failure rate, not in the median`],
    behind: { success: false },
  },
  rework_rate: {
    value: (m) => m.rework_rate.value,
    format: formatRate,
    describeChange: rateChange,
    band: () => null,
    sample: (m) => `${m.rework_rate.rework} of ${plural(m.rework_rate.total, 'deploy')} were rework`,
    exclusions: () => [],
    behind: { is_rework: true },
  },
};

/** The five metrics, in the contract's order. */
export const METRICS: MetricView[] = METRIC_KEYS.map((key) => ({ key, ...METRIC_DEFINITIONS[key], ...PRESENTATION[key] }));

export function metricByKey(key: string): MetricView | undefined {
  return METRICS.find((metric) => metric.key === key);
}

/** Lead time over every commit shipped, each once (DESIGN §4). */
export const LEAD_TIME_PER_CHANGE: MetricView = {
  ...METRICS.find((metric) => metric.key === 'lead_time')!,
  definition: PER_CHANGE_LEAD_TIME_DEFINITION,
  value: (m) => m.lead_time.per_change.p50_seconds,
  band: (m) => m.lead_time.per_change.band,
  sample: (m) =>
    `p95 ${formatDuration(m.lead_time.per_change.p95_seconds)} · ${plural(m.lead_time.per_change.sample, 'commit')} in ${plural(m.lead_time.per_change.deployments_with_changes, 'deploy')}`,
  exclusions: (m) => [
    `${plural(m.lead_time.per_change.excluded_negative, 'commit')} dated later than the deploy that first shipped it`,
    'A commit shipped again (a redeploy, a rollback, a later change set) counts only at its first successful deploy.',
  ],
  basis: 'per change',
};

/** The org's lead time basis (its setting) decides which lead time is the card's headline; the other is its second line. */
export function leadTimeViews(basis: LeadTimeBasis): { headline: MetricView; second: MetricView } {
  const perDeployment = metricByKey('lead_time')!;
  return basis === 'change' ? { headline: LEAD_TIME_PER_CHANGE, second: perDeployment } : { headline: perDeployment, second: LEAD_TIME_PER_CHANGE };
}
