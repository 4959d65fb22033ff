import type { Band, DoraMetrics } from '@dora/domain';

/** The labels of one set of numbers: an environment's whole org, or one (repo, service) of it with its team. */
export type ExposedLabels = { environment: string } | { environment: string; repo: string; service: string; team: string };

/** One set of the five metrics and the labels it is exposed under. */
export interface ExposedMetrics {
  labels: ExposedLabels;
  metrics: DoraMetrics;
}

/** A band as one number, so that a panel can threshold and colour it: 4 elite … 1 low, 0 none. */
const BAND_NUMBER: Record<Band, number> = { elite: 4, high: 3, medium: 2, low: 1 };
const bandNumber = (band: Band | null) => (band === null ? 0 : BAND_NUMBER[band]);

/**
 * Every series exposed: its help, its type (a gauge unless said), and its samples per set of numbers —
 * each its name's suffix, extra labels and value (null: no sample line).
 */
const SERIES: { name: string; help: string; type?: 'summary'; values: (m: DoraMetrics) => [Record<string, string>, number | null, string?][] }[] = [
  {
    name: 'dora_deployment_frequency_per_day',
    help: 'Successful deployments a day over the window',
    values: (m) => [[{}, m.deployment_frequency.value]],
  },
  {
    name: 'dora_deployment_frequency_samples',
    help: 'Successful deployments in the window',
    values: (m) => [[{}, m.deployment_frequency.successes]],
  },
  {
    name: 'dora_deployment_frequency_band',
    help: 'Deployment frequency band: 4 elite, 3 high, 2 medium, 1 low',
    values: (m) => [[{}, bandNumber(m.deployment_frequency.band)]],
  },
  {
    // A summary without _sum: its quantiles and how many lead times they are of.
    name: 'dora_lead_time_seconds',
    help: 'Lead time for changes in the window, by basis (each deployment\'s head commit, or every commit at its first deployment)',
    type: 'summary',
    values: (m) => [
      [{ basis: 'deployment', quantile: '0.5' }, m.lead_time.p50_seconds],
      [{ basis: 'deployment', quantile: '0.95' }, m.lead_time.p95_seconds],
      [{ basis: 'deployment' }, m.lead_time.sample, '_count'],
      [{ basis: 'change', quantile: '0.5' }, m.lead_time.per_change.p50_seconds],
      [{ basis: 'change', quantile: '0.95' }, m.lead_time.per_change.p95_seconds],
      [{ basis: 'change' }, m.lead_time.per_change.sample, '_count'],
    ],
  },
  {
    name: 'dora_lead_time_band',
    help: 'Lead time band by basis: 4 elite, 3 high, 2 medium, 1 low, 0 none',
    values: (m) => [
      [{ basis: 'deployment' }, bandNumber(m.lead_time.band)],
      [{ basis: 'change' }, bandNumber(m.lead_time.per_change.band)],
    ],
  },
  {
    name: 'dora_change_failure_ratio',
    help: 'Deployments that failed or were rework, over all deployments in the window',
    values: (m) => [[{}, m.change_failure_rate.value]],
  },
  {
    name: 'dora_change_failure_samples',
    help: 'Deployments in the window (the change failure ratio\'s denominator)',
    values: (m) => [[{}, m.change_failure_rate.total]],
  },
  {
    name: 'dora_change_failure_band',
    help: 'Change failure rate band: 4 elite, 3 high, 2 medium, 1 low, 0 none',
    values: (m) => [[{}, bandNumber(m.change_failure_rate.band)]],
  },
  {
    name: 'dora_time_to_restore_seconds',
    help: 'Median time from a failed deployment to the next success, over the failures of the window restored by now',
    values: (m) => [[{}, m.time_to_restore.median_seconds]],
  },
  {
    name: 'dora_time_to_restore_samples',
    help: 'Failures of the window restored by now',
    values: (m) => [[{}, m.time_to_restore.restored]],
  },
  {
    name: 'dora_time_to_restore_band',
    help: 'Time to restore band: 4 elite, 3 high, 2 medium, 1 low, 0 none',
    values: (m) => [[{}, bandNumber(m.time_to_restore.band)]],
  },
  {
    name: 'dora_rework_ratio',
    help: 'Deployments reported as rework over all deployments in the window',
    values: (m) => [[{}, m.rework_rate.value]],
  },
  {
    name: 'dora_rework_samples',
    help: 'Deployments in the window (the rework ratio\'s denominator)',
    values: (m) => [[{}, m.rework_rate.total]],
  },
];

/** The names of every series `exposition` writes: what a dashboard may query. */
export const EXPOSED_SERIES = ['dora_window_seconds', ...SERIES.flatMap((series) => (series.type === 'summary' ? [series.name, `${series.name}_count`] : [series.name]))];

/**
 * Prometheus' text format (0.0.4): gauges (lead time a summary of quantiles and count), one sample per set
 * of numbers and label combination; a metric without a value (no sample in the window) has no line
 * rather than NaN.
 */
export function exposition(windowDays: number, sets: ExposedMetrics[]): string {
  const lines = [
    '# HELP dora_window_seconds The window the numbers are computed over, ending now (the org\'s setting)',
    '# TYPE dora_window_seconds gauge',
    `dora_window_seconds ${windowDays * 86_400}`,
  ];
  for (const series of SERIES) {
    lines.push(`# HELP ${series.name} ${series.help}`, `# TYPE ${series.name} ${series.type ?? 'gauge'}`);
    for (const { labels, metrics } of sets) {
      for (const [extra, value, suffix = ''] of series.values(metrics)) {
        if (value !== null) lines.push(`${series.name}${suffix}${labelText({ ...labels, ...extra })} ${value}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `{a="1",b="2"}`, the values escaped as the format says (backslash, double quote, line feed). */
function labelText(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return `{${pairs.join(',')}}`;
}
