import { Injectable } from '@nestjs/common';
import {
  BAND_SET,
  type DeploymentDetail,
  type DeploymentItem,
  type DoraSeries,
  type DoraSummary,
  type EnvironmentCount,
  METRIC_KEYS,
  type MetricsWindow,
  type Page,
  type RepoMetrics,
  type RepoSortKey,
} from '@dora/domain';
import { decodeCursor, isTimeAndIdCursor, pageOf } from '../../common/cursor.js';
import { DomainError } from '../../common/errors.js';
import { parseRfc3339, timeRange } from '../../common/timestamps.js';
import { isUuid } from '../../common/uuid.js';
import { type Served, Transactions } from '../../database/transactions.js';
import { AuditRepository, toAuditEventItem } from '../audit/audit.repository.js';
import type { Org } from '../../access/principals.js';
import type { DeploymentsQueryDto, ReposQueryDto, SeriesQueryDto, SummaryQueryDto } from './dto/metrics-query.dto.js';
import { DEFINITIONS, type MetricCounts, toMetrics } from './definitions.js';
import { type DeploymentRow, MetricsRepository, type RepoCursor } from './metrics.repository.js';

const DAY_MS = 86_400_000;

/** The answer built from a read, still saying where and as of when it was read. */
function withValue<T>(served: Served<unknown>, value: T): Served<T> {
  return { ...served, value };
}

/** SQL sort expressions over the per-repo aggregates: the only text of a request that reaches SQL is a key of this map. */
const REPO_SORTS = {
  repo_full_name: '0',
  deployments: 'total',
  ...Object.fromEntries(METRIC_KEYS.map((key) => [key, DEFINITIONS[key].sort])),
} as Record<RepoSortKey, string>;

@Injectable()
export class MetricsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly metrics: MetricsRepository,
    private readonly audit: AuditRepository,
  ) {}

  async summary(org: Org, query: SummaryQueryDto): Promise<Served<DoraSummary>> {
    const days = query.window ?? org.window_days;
    const asOf = asOfOf(query.as_of);
    const from = new Date(asOf.getTime() - days * DAY_MS);
    const previousFrom = new Date(from.getTime() - days * DAY_MS);
    const scope = { tenantId: org.id, environment: query.environment, repo: query.repo ?? null };
    const served = await this.transactions.readInTenant(org, (tx) => this.metrics.windowAndPrevious(tx, scope, { previousFrom, from, asOf }));
    const { current, previous } = served.value;
    return withValue(served, {
      org: org.slug,
      environment: query.environment,
      repo: scope.repo,
      band_set: BAND_SET,
      window: window(days, from, asOf),
      ...toMetrics(current, days, asOf),
      previous: { window: window(days, previousFrom, from), ...toMetrics(previous, days, from) },
    });
  }

  async series(org: Org, query: SeriesQueryDto): Promise<Served<DoraSeries>> {
    const asOf = asOfOf(query.as_of);
    const scope = { tenantId: org.id, environment: query.environment, repo: query.repo ?? null };
    const served = await this.transactions.readInTenant(org, (tx) => this.metrics.daily(tx, scope, { days: query.days, asOf, timezone: org.timezone }));
    return withValue(served, {
      org: org.slug,
      environment: query.environment,
      repo: scope.repo,
      timezone: org.timezone,
      points: served.value.map((row) => {
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
    });
  }

  async repos(org: Org, query: ReposQueryDto): Promise<Served<Page<RepoMetrics>>> {
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
    const served = await this.transactions.readInTenant(org, (tx) =>
      this.metrics.perRepo(tx, { tenantId: org.id, environment: query.environment }, { from, asOf, sort, after, limit: query.limit + 1 }),
    );
    return withValue(
      served,
      pageOf(
        served.value,
        query.limit,
        (row) => ({ repo_full_name: row.repo_full_name, ...toMetrics(row, days, asOf) }),
        (row) => [row.sort_null, row.sort_value, row.repo_full_name],
      ),
    );
  }

  async deployments(org: Org, query: DeploymentsQueryDto): Promise<Served<Page<DeploymentItem>>> {
    const { from, to } = timeRange(query.from, query.to);
    const after = query.cursor ? decodeCursor(query.cursor, isTimeAndIdCursor) : null;
    const served = await this.transactions.readInTenant(org, (tx) =>
      this.metrics.deployments(
        tx,
        { tenantId: org.id, environment: query.environment, repo: query.repo ?? null, from, to, success: query.success ?? null, isRework: query.is_rework ?? null },
        { after, limit: query.limit + 1 },
      ),
    );
    return withValue(served, pageOf(served.value, query.limit, toDeploymentItem, (row) => [row.deployed_at_exact, row.id]));
  }

  async deployment(org: Org, id: string): Promise<Served<DeploymentDetail>> {
    const notFound = new DomainError('not_found', `No deployment ${id} in this org`);
    if (!isUuid(id)) throw notFound;
    return this.transactions.readInTenant(org, async (tx) => {
      const row = await this.metrics.deployment(tx, org.id, id);
      if (!row) throw notFound;
      const events = await this.audit.forSubject(tx, org.id, { type: 'deployment', id });
      return { ...toDeploymentItem(row), audit_events: events.map(toAuditEventItem) };
    });
  }

  async environments(org: Org): Promise<Served<{ items: EnvironmentCount[] }>> {
    const served = await this.transactions.readInTenant(org, (tx) => this.metrics.environments(tx, org.id));
    return withValue(served, { items: served.value.map((row) => ({ ...row, last_deployed_at: row.last_deployed_at.toISOString() })) });
  }
}

function asOfOf(text: string | undefined): Date {
  return text === undefined ? new Date() : new Date(parseRfc3339(text)!);
}

function window(days: number, from: Date, to: Date): MetricsWindow {
  return { days, from: from.toISOString(), to: to.toISOString() };
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

