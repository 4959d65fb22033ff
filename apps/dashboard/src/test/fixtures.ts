import type { DeploymentItem, DoraMetrics, DoraSeries, DoraSummary, Me, SeriesInterval, SeriesPoint } from '@dora/domain';

/** The metrics of no deployments, to spread and change a field of. */
export const NO_METRICS: DoraMetrics = {
  deployment_frequency: { value: 0, successes: 0, band: 'low' },
  lead_time: { p50_seconds: null, p95_seconds: null, sample: 0, without_commit: 0, excluded_negative: 0, band: null, per_change: { p50_seconds: null, p95_seconds: null, sample: 0, excluded_negative: 0, deployments_with_changes: 0, band: null } },
  change_failure_rate: { value: null, failed: 0, total: 0, band: null },
  time_to_restore: { median_seconds: null, restored: 0, open: 0, oldest_open_seconds: null, band: null },
  rework_rate: { value: null, rework: 0, total: 0, band: null },
};

/** The metrics of `successes` successful deploys over 30 days, none failed. */
export function metricsWith(successes: number): DoraMetrics {
  return {
    ...NO_METRICS,
    deployment_frequency: { value: successes / 30, successes, band: successes >= 30 ? 'elite' : 'high' },
    change_failure_rate: { value: 0, failed: 0, total: successes, band: 'elite' },
  };
}

const window = { days: 30, from: '2026-10-27T10:00:00.000Z', to: '2026-11-26T10:00:00.000Z' };

export function summaryOf(metrics: DoraMetrics, scope: Partial<Pick<DoraSummary, 'repo' | 'team' | 'service'>> = {}): DoraSummary {
  return { org: 'acme', environment: 'production', repo: null, team: null, service: null, band_set: 'dora-2023', window, ...metrics, previous: { window, ...NO_METRICS }, ...scope };
}

export const emptySeries: DoraSeries = { org: 'acme', environment: 'production', repo: null, team: null, service: null, interval: 'day', timezone: 'UTC', points: [] };

/** A series of the given points, in UTC. */
export function seriesOf(interval: SeriesInterval, points: SeriesPoint[]): DoraSeries {
  return { ...emptySeries, interval, points };
}

/** One period of a series, from its local start `date` (UTC) to `to`. */
export function pointOf(date: string, to: string, metrics: DoraMetrics, partial = false): SeriesPoint {
  return { date, from: `${date}T00:00:00.000Z`, to, partial, ...metrics };
}

export function deploymentOf(shown: Partial<DeploymentItem>): DeploymentItem {
  return {
    id: 'd1',
    repo_full_name: 'acme/web',
    environment: 'production',
    deployed_at: '2026-11-25T10:00:00.000Z',
    commit_sha: 'abcdef1234567890',
    committed_at: '2026-11-25T09:00:00.000Z',
    success: true,
    is_rework: false,
    external_ref: null,
    service: null,
    team: null,
    source: 'api',
    ingested_by: { type: 'token', id: 't1', name: 'ci' },
    created_at: '2026-11-25T10:00:01.000Z',
    ...shown,
  };
}

export function meAs(role: 'admin' | 'viewer'): Me {
  return { user: { id: 'u1', email: 'ops@acme.test' }, orgs: [{ slug: 'acme', name: 'Acme', role }], csrf_token: 'the-csrf' };
}
