import { Injectable } from '@nestjs/common';
import {
  BAND_SET,
  changeFailureRateBand,
  type DeploymentDetail,
  type DeploymentItem,
  deploymentFrequencyBand,
  type DoraMetrics,
  type DoraSeries,
  type DoraSummary,
  type EnvironmentCount,
  leadTimeBand,
  type MetricsWindow,
  type Page,
  type RepoMetrics,
  type RepoSortKey,
  timeToRestoreBand,
} from '@dora/domain';
import { decodeCursor, encodeCursor, isTimeAndIdCursor } from '../../common/cursor.js';
import { DomainError } from '../../common/errors.js';
import { parseRfc3339, timeRange } from '../../common/timestamps.js';
import { isUuid } from '../../common/uuid.js';
import { Transactions } from '../../database/transactions.js';
import { AuditRepository, toAuditEventItem } from '../audit/audit.repository.js';
import type { Org } from '../tenancy/tenants.repository.js';
import type { DeploymentsQueryDto, ReposQueryDto, SeriesQueryDto, SummaryQueryDto } from './dto/metrics-query.dto.js';
import { type DeploymentRow, type MetricCounts, MetricsRepository, type RepoCursor } from './metrics.repository.js';

const DAY_MS = 86_400_000;

const EMPTY: MetricCounts = {
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

/** SQL sort expressions over the per-repo aggregates: the only text of a request that reaches SQL is a key of this map. */
const REPO_SORTS: Record<RepoSortKey, string> = {
  repo_full_name: '0',
  deployments: 'total',
  deployment_frequency: 'successes',
  lead_time: 'lead_time[1]',
  change_failure_rate: 'failed::double precision / total',
  time_to_restore: 'restore_median',
  rework_rate: 'rework::double precision / total',
};

@Injectable()
export class MetricsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly metrics: MetricsRepository,
    private readonly audit: AuditRepository,
  ) {}

  async summary(org: Org, query: SummaryQueryDto): Promise<DoraSummary> {
    const days = query.window ?? org.window_days;
    const asOf = asOfOf(query.as_of);
    const from = new Date(asOf.getTime() - days * DAY_MS);
    const previousFrom = new Date(from.getTime() - days * DAY_MS);
    const scope = { tenantId: org.id, environment: query.environment, repo: query.repo ?? null };
    const { current, previous } = await this.transactions.inTenant(org.id, (tx) =>
      this.metrics.windowAndPrevious(tx, scope, { previousFrom, from, asOf }),
    );
    return {
      org: org.slug,
      environment: query.environment,
      repo: scope.repo,
      band_set: BAND_SET,
      window: window(days, from, asOf),
      ...toMetrics(current, days, asOf),
      previous: { window: window(days, previousFrom, from), ...toMetrics(previous, days, from) },
    };
  }

  async series(org: Org, query: SeriesQueryDto): Promise<DoraSeries> {
    const asOf = asOfOf(query.as_of);
    const scope = { tenantId: org.id, environment: query.environment, repo: query.repo ?? null };
    const rows = await this.transactions.inTenant(org.id, (tx) =>
      this.metrics.daily(tx, scope, { days: query.days, asOf, timezone: org.timezone }),
    );
    return {
      org: org.slug,
      environment: query.environment,
      repo: scope.repo,
      timezone: org.timezone,
      points: rows.map((row) => {
        const m = toMetrics(row.total ? (row as MetricCounts) : undefined, 1, asOf);
        return {
          date: row.day,
          from: row.day_from.toISOString(),
          to: row.day_to.toISOString(),
          deployment_frequency: { value: m.deployment_frequency.successes, successes: m.deployment_frequency.successes },
          lead_time: { p50_seconds: m.lead_time.p50_seconds, p95_seconds: m.lead_time.p95_seconds, sample: m.lead_time.sample },
          change_failure_rate: { value: m.change_failure_rate.value, failed: m.change_failure_rate.failed, total: m.change_failure_rate.total },
          time_to_restore: { median_seconds: m.time_to_restore.median_seconds, restored: m.time_to_restore.restored, open: m.time_to_restore.open },
          rework_rate: { value: m.rework_rate.value, rework: m.rework_rate.rework, total: m.rework_rate.total },
        };
      }),
    };
  }

  async repos(org: Org, query: ReposQueryDto): Promise<Page<RepoMetrics>> {
    const days = query.window ?? org.window_days;
    const asOf = asOfOf(query.as_of);
    const from = new Date(asOf.getTime() - days * DAY_MS);
    const descending = query.sort.startsWith('-');
    const key = query.sort.replace(/^-/, '') as RepoSortKey;
    const sort = {
      expression: descending && key !== 'repo_full_name' ? `-(${REPO_SORTS[key]})` : REPO_SORTS[key],
      repoDescending: descending && key === 'repo_full_name',
    };
    const after = query.cursor ? decodeCursor(query.cursor, isRepoCursor) : null;
    const rows = await this.transactions.inTenant(org.id, (tx) =>
      this.metrics.perRepo(tx, { tenantId: org.id, environment: query.environment }, { from, asOf, sort, after, limit: query.limit + 1 }),
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => ({ repo_full_name: row.repo_full_name, ...toMetrics(row, days, asOf) })),
      next_cursor: rows.length > query.limit && last ? encodeCursor([last.sort_null, last.sort_value, last.repo_full_name]) : null,
    };
  }

  async deployments(org: Org, query: DeploymentsQueryDto): Promise<Page<DeploymentItem>> {
    const { from, to } = timeRange(query.from, query.to);
    const after = query.cursor ? decodeCursor(query.cursor, isTimeAndIdCursor) : null;
    const rows = await this.transactions.inTenant(org.id, (tx) =>
      this.metrics.deployments(
        tx,
        { tenantId: org.id, environment: query.environment, repo: query.repo ?? null, from, to, success: query.success ?? null, isRework: query.is_rework ?? null },
        { after, limit: query.limit + 1 },
      ),
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toDeploymentItem),
      next_cursor: rows.length > query.limit && last ? encodeCursor([last.deployed_at_exact, last.id]) : null,
    };
  }

  async deployment(org: Org, id: string): Promise<DeploymentDetail> {
    const notFound = new DomainError('not_found', `No deployment ${id} in this org`);
    if (!isUuid(id)) throw notFound;
    return this.transactions.inTenant(org.id, async (tx) => {
      const row = await this.metrics.deployment(tx, org.id, id);
      if (!row) throw notFound;
      const events = await this.audit.forSubject(tx, org.id, { type: 'deployment', id });
      return { ...toDeploymentItem(row), audit_events: events.map(toAuditEventItem) };
    });
  }

  async environments(org: Org): Promise<{ items: EnvironmentCount[] }> {
    const rows = await this.transactions.inTenant(org.id, (tx) => this.metrics.environments(tx, org.id));
    return { items: rows.map((row) => ({ ...row, last_deployed_at: row.last_deployed_at.toISOString() })) };
  }
}

function asOfOf(text: string | undefined): Date {
  return text === undefined ? new Date() : new Date(parseRfc3339(text)!);
}

function window(days: number, from: Date, to: Date): MetricsWindow {
  return { days, from: from.toISOString(), to: to.toISOString() };
}

/** The five metric objects from the raw numbers; `restoresBefore` is the end the restores were searched before. */
export function toMetrics(counts: MetricCounts | undefined, days: number, restoresBefore: Date): DoraMetrics {
  const c = counts ?? EMPTY;
  const p50 = c.lead_time?.[0] ?? null;
  return {
    deployment_frequency: { value: c.successes / days, successes: c.successes, band: deploymentFrequencyBand(c.successes, days) },
    lead_time: {
      p50_seconds: p50,
      p95_seconds: c.lead_time?.[1] ?? null,
      sample: c.lead_time_sample,
      without_commit: c.without_commit,
      excluded_negative: c.excluded_negative,
      band: leadTimeBand(p50),
    },
    change_failure_rate: {
      value: c.total === 0 ? null : c.failed / c.total,
      failed: c.failed,
      total: c.total,
      band: changeFailureRateBand(c.failed, c.total),
    },
    time_to_restore: {
      median_seconds: c.restore_median,
      restored: c.restored,
      open: c.open,
      oldest_open_seconds: c.oldest_open ? (restoresBefore.getTime() - c.oldest_open.getTime()) / 1000 : null,
      band: timeToRestoreBand(c.restore_median),
    },
    rework_rate: { value: c.total === 0 ? null : c.rework / c.total, rework: c.rework, total: c.total, band: null },
  };
}

function toDeploymentItem(row: DeploymentRow): DeploymentItem {
  return {
    id: row.id,
    repo_full_name: row.repo_full_name,
    environment: row.environment,
    deployed_at: row.deployed_at.toISOString(),
    commit_sha: row.commit_sha,
    committed_at: row.committed_at?.toISOString() ?? null,
    success: row.success,
    is_rework: row.is_rework,
    external_ref: row.external_ref,
    source: row.source,
    ingested_by:
      row.source === 'api'
        ? { type: 'token', id: row.token_id, name: row.token_name }
        : { type: 'webhook', id: row.delivery_id, name: 'forgejo' },
    created_at: row.created_at.toISOString(),
  };
}

function isRepoCursor(key: unknown[]): key is RepoCursor {
  return key.length === 3 && typeof key[0] === 'boolean' && typeof key[1] === 'number' && typeof key[2] === 'string';
}

