/**
 * What each of the five metrics means, in the words the dashboard shows (its ⓘ) — written once, next
 * to the band functions in bands.ts that decide the same thresholds. The API's SQL for each metric is
 * in apps/api/src/modules/metrics/definitions.ts; DESIGN §4 has every edge case.
 */
export const METRIC_KEYS = ['deployment_frequency', 'lead_time', 'change_failure_rate', 'time_to_restore', 'rework_rate'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export interface MetricDefinition {
  title: string;
  /** How it is computed, and its DORA bands. */
  definition: string;
  /** Which way is better. */
  better: 'higher' | 'lower';
}

export const METRIC_DEFINITIONS: Record<MetricKey, MetricDefinition> = {
  deployment_frequency: {
    title: 'Deployment frequency',
    definition: 'Successful deploys in the window divided by its days. Elite: at least one a day; High: one a week; Medium: one a month.',
    better: 'higher',
  },
  lead_time: {
    title: 'Lead time for changes',
    definition:
      'Median (p50, and p95) of deployed_at − committed_at over successful deploys that sent both commit_sha and committed_at. Elite: under a day; High: under a week; Medium: under 30 days.',
    better: 'lower',
  },
  change_failure_rate: {
    title: 'Change-failure rate',
    definition: 'Deploys that failed (success = false) or were rework, over all deploys. Elite: at most 5%; High: 10%; Medium: 15%.',
    better: 'lower',
  },
  time_to_restore: {
    title: 'Time to restore',
    definition:
      'Median time from a failed deploy to the next successful deploy of the same repo and environment. Elite: under an hour; High: under a day; Medium: under a week.',
    better: 'lower',
  },
  rework_rate: {
    title: 'Rework rate',
    definition: 'Deploys marked is_rework over all deploys. DORA publishes no bands for it.',
    better: 'lower',
  },
};

/** Lead time per change (DESIGN §4), beside the per-deployment definition above. */
export const PER_CHANGE_LEAD_TIME_DEFINITION =
  'Median (p50, and p95) of deployed_at − committed_at over every commit deploys shipped, each commit counted once per repo, service and environment: at the first successful deploy that shipped it. Same bands.';
