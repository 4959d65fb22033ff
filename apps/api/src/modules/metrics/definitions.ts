import {
  changeFailureRateBand,
  type ChangeFailureRate,
  type DeploymentFrequency,
  deploymentFrequencyBand,
  type DoraMetrics,
  type LeadTime,
  leadTimeBand,
  type MetricKey,
  type ReworkRate,
  type TimeToRestore,
  timeToRestoreBand,
} from '@dora/domain';
import { DEPLOYMENT_KINDS } from '../../database/migrations/1795830000000-deployment-counts.js';

/**
 * The five DORA metrics, each stated once (DESIGN §4; the words the dashboard shows are the contract's
 * METRIC_DEFINITIONS): the SQL that counts it over a set of deployments `d`, the answer the API gives
 * from those counts (value and band), and what the per-repo breakdown sorts it by. The queries compute
 * all five in one scan of `d`, whose rows carry a `cutoff`: a restore counts only before it.
 *
 * The one derived input is a failure's `restored_at` — the first success of the same repo and
 * environment strictly after it — which the ingest path keeps exact (DESIGN §3).
 */
interface Definition<Answer> {
  /** Named aggregates over `d`. */
  sql: Record<string, string>;
  answer(counts: MetricCounts & ChangeCounts, context: { days: number; restoresBefore: Date }): Answer;
  /** The per-repo breakdown's sort, over the aggregates (a whitelisted expression, never caller text). */
  sort: string;
}

/** The raw numbers of the five metrics over one set of deployments, as the aggregates below name them. */
export interface MetricCounts {
  successes: number;
  total: number;
  failed: number;
  rework: number;
  without_commit: number;
  excluded_negative: number;
  /** [p50, p95] of the lead times in seconds, or null without a sample. */
  lead_time: [number, number] | null;
  lead_time_sample: number;
  restored: number;
  restore_median: number | null;
  open: number;
  oldest_open: Date | null;
}

/** The raw numbers of per-change lead time over one set of changes (`CHANGE_AGGREGATES`). */
export interface ChangeCounts {
  /** [p50, p95] of the changes' lead times in seconds, or null without a sample. */
  change_lead_time: [number, number] | null;
  change_sample: number;
  change_excluded_negative: number;
  deployments_with_changes: number;
}

/**
 * Per-change lead time over rows `c` of dora_changes — each commit once, at its first successful
 * deployment (DESIGN §4) — a negative one left out and counted, as for deployments.
 */
export const CHANGE_AGGREGATES = /* sql */ `
  percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY lead_time_seconds) FILTER (WHERE lead_time_seconds >= 0) AS change_lead_time,
  count(*) FILTER (WHERE lead_time_seconds >= 0)::int AS change_sample,
  count(*) FILTER (WHERE lead_time_seconds < 0)::int AS change_excluded_negative,
  count(DISTINCT first_deployment_id)::int AS deployments_with_changes`;

export const NO_CHANGES: ChangeCounts = { change_lead_time: null, change_sample: 0, change_excluded_negative: 0, deployments_with_changes: 0 };

const deploymentFrequency: Definition<DeploymentFrequency> = {
  sql: { successes: `count(*) FILTER (WHERE success)::int` },
  answer: (c, { days }) => ({ value: days === 0 ? 0 : c.successes / days, successes: c.successes, band: deploymentFrequencyBand(c.successes, days) }),
  sort: 'successes',
};

/** deployed_at − committed_at over successful deploys with both commit fields, a negative one left out and counted. */
const leadTime: Definition<LeadTime> = {
  sql: {
    lead_time: `percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY lead_time_seconds) FILTER (WHERE success AND lead_time_seconds >= 0)`,
    lead_time_sample: `count(*) FILTER (WHERE success AND lead_time_seconds >= 0)::int`,
    without_commit: `count(*) FILTER (WHERE success AND lead_time_seconds IS NULL)::int`,
    excluded_negative: `count(*) FILTER (WHERE success AND lead_time_seconds < 0)::int`,
  },
  answer: (c) => {
    const p50 = c.lead_time?.[0] ?? null;
    const changeP50 = c.change_lead_time?.[0] ?? null;
    return {
      p50_seconds: p50,
      p95_seconds: c.lead_time?.[1] ?? null,
      sample: c.lead_time_sample,
      without_commit: c.without_commit,
      excluded_negative: c.excluded_negative,
      band: leadTimeBand(p50),
      per_change: {
        p50_seconds: changeP50,
        p95_seconds: c.change_lead_time?.[1] ?? null,
        sample: c.change_sample,
        excluded_negative: c.change_excluded_negative,
        deployments_with_changes: c.deployments_with_changes,
        band: leadTimeBand(changeP50),
      },
    };
  },
  sort: 'lead_time[1]',
};

/** Deploys that failed or were rework, over all deploys. */
const changeFailureRate: Definition<ChangeFailureRate> = {
  sql: { failed: `count(*) FILTER (WHERE NOT success OR is_rework)::int`, total: `count(*)::int` },
  answer: (c) => ({ value: c.total === 0 ? null : c.failed / c.total, failed: c.failed, total: c.total, band: changeFailureRateBand(c.failed, c.total) }),
  sort: 'failed::double precision / total',
};

/** The median time from a failure to its restore, over the failures restored before the cutoff; the others are open. */
const timeToRestore: Definition<TimeToRestore> = {
  sql: {
    restored: `count(*) FILTER (WHERE NOT success AND restored_at < cutoff)::int`,
    restore_median: `percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM restored_at - deployed_at)::double precision) FILTER (WHERE NOT success AND restored_at < cutoff)`,
    open: `count(*) FILTER (WHERE NOT success AND (restored_at IS NULL OR restored_at >= cutoff))::int`,
    oldest_open: `min(deployed_at) FILTER (WHERE NOT success AND (restored_at IS NULL OR restored_at >= cutoff))`,
  },
  answer: (c, { restoresBefore }) => ({
    median_seconds: c.restore_median,
    restored: c.restored,
    open: c.open,
    oldest_open_seconds: c.oldest_open ? (restoresBefore.getTime() - c.oldest_open.getTime()) / 1000 : null,
    band: timeToRestoreBand(c.restore_median),
  }),
  sort: 'restore_median',
};

/** Deploys marked rework, over all deploys (the total is change-failure rate's); DORA publishes no band. */
const reworkRate: Definition<ReworkRate> = {
  sql: { rework: `count(*) FILTER (WHERE is_rework)::int` },
  answer: (c) => ({ value: c.total === 0 ? null : c.rework / c.total, rework: c.rework, total: c.total, band: null }),
  sort: 'rework::double precision / total',
};

export const DEFINITIONS: { [Key in MetricKey]: Definition<DoraMetrics[Key]> } = {
  deployment_frequency: deploymentFrequency,
  lead_time: leadTime,
  change_failure_rate: changeFailureRate,
  time_to_restore: timeToRestore,
  rework_rate: reworkRate,
};

const aggregatesOf = (sql: Record<string, string>) =>
  Object.entries(sql)
    .map(([name, aggregate]) => `${aggregate} AS ${name}`)
    .join(',\n  ');

/** Every metric's aggregates, for one scan of `d`. */
export const AGGREGATES = aggregatesOf(Object.assign({}, ...Object.values(DEFINITIONS).map((definition) => definition.sql)));

/** Time to restore's aggregates alone: for the failures of a window (no other row counts in them). */
export const RESTORE_AGGREGATES = aggregatesOf(timeToRestore.sql);

/** What a whole environment's window counts besides lead time's percentiles and time to restore (`countsOfKinds`). */
type KindCounts = Omit<MetricCounts, 'lead_time' | 'restored' | 'restore_median' | 'open' | 'oldest_open'>;

/**
 * The counts the aggregates above would count over a whole environment's window, from its deployments
 * counted by kind (`dora_deployment_counts`, DEPLOYMENT_KINDS): `count` of a kind, `measured` of all the
 * lead-time buckets together.
 */
export function countsOfKinds(count: (kind: number) => number, measured: number): KindCounts {
  const successes = measured + count(DEPLOYMENT_KINDS.NEGATIVE) + count(DEPLOYMENT_KINDS.WITHOUT_COMMIT);
  const failures = count(DEPLOYMENT_KINDS.FAILURE);
  return {
    successes,
    total: successes + failures,
    failed: failures + count(DEPLOYMENT_KINDS.SUCCESSFUL_REWORK),
    rework: count(DEPLOYMENT_KINDS.SUCCESSFUL_REWORK) + count(DEPLOYMENT_KINDS.FAILED_REWORK),
    lead_time_sample: measured,
    without_commit: count(DEPLOYMENT_KINDS.WITHOUT_COMMIT),
    excluded_negative: count(DEPLOYMENT_KINDS.NEGATIVE),
  };
}

export const NO_DEPLOYMENTS: MetricCounts = {
  successes: 0,
  total: 0,
  failed: 0,
  rework: 0,
  without_commit: 0,
  excluded_negative: 0,
  lead_time: null,
  lead_time_sample: 0,
  restored: 0,
  restore_median: null,
  open: 0,
  oldest_open: null,
};

/** The five metric objects from the raw numbers; `restoresBefore` is the end the restores were searched before. */
export function toMetrics(counts: MetricCounts | undefined, days: number, restoresBefore: Date, changes?: ChangeCounts): DoraMetrics {
  const c = { ...(counts ?? NO_DEPLOYMENTS), ...(changes ?? NO_CHANGES) };
  const context = { days, restoresBefore };
  return {
    deployment_frequency: deploymentFrequency.answer(c, context),
    lead_time: leadTime.answer(c, context),
    change_failure_rate: changeFailureRate.answer(c, context),
    time_to_restore: timeToRestore.answer(c, context),
    rework_rate: reworkRate.answer(c, context),
  };
}
