import { Injectable } from '@nestjs/common';
import {
  BAND_SET,
  type DeploymentDetail,
  type DeploymentItem,
  type DoraMetrics,
  type DoraSeries,
  type DoraSummary,
  type EnvironmentCount,
  METRIC_KEYS,
  type MetricsWindow,
  type Page,
  type RepoMetrics,
  type RepoSortKey,
  type ServiceMetrics,
  type TeamMetrics,
  type TeamSortKey,
} from '@dora/domain';
import { decodeCursor, isTimeAndIdCursor, pageOf } from '../../common/cursor.js';
import { DomainError } from '../../common/errors.js';
import { timeRange } from '../../common/timestamps.js';
import { isUuid } from '../../common/uuid.js';
import { type Served, Transactions, withValue } from '../../database/transactions.js';
import { asOfOf, echo, ScopeResolver } from './scope-resolver.js';
import { AuditRepository, toAuditEventItem } from '../audit/audit.repository.js';
import type { Org } from '../../access/principals.js';
import { TeamsRepository } from '../teams/teams.repository.js';
import type { DeploymentsQueryDto, ReposQueryDto, SeriesQueryDto, ServicesQueryDto, SummaryQueryDto, TeamsQueryDto } from './dto/metrics-query.dto.js';
import { DEFINITIONS, toMetrics } from './definitions.js';
import { type BreakdownCursor, type DeploymentRow, type GroupRow, MetricsRepository } from './metrics.repository.js';
import type { DeploymentScope } from './scope.js';
import type { ExposedMetrics } from './prometheus.js';

const DAY_MS = 86_400_000;

/** A series' number of periods: days for days (1–90, default 30), else 1–52 weeks or 1–24 months (default 12). */
function periodsOf(query: SeriesQueryDto): number {
  const refuse = (field: string, message: string) => new DomainError('validation_failed', `Invalid request: ${field} ${message}`, [{ field, message }]);
  if (query.interval === 'day') {
    if (query.periods !== undefined) throw refuse('periods', 'is for interval=week or month: give days for interval=day');
    return query.days ?? 30;
  }
  if (query.days !== undefined) throw refuse('days', 'is for interval=day: give periods for weeks and months');
  if (query.interval === 'month' && (query.periods ?? 12) > 24) throw refuse('periods', 'must be 1 to 24 for months');
  return query.periods ?? 12;
}

/** SQL sort expressions over the per-repo aggregates: the only text of a request that reaches SQL is a key of this map. */
const REPO_SORTS = {
  repo_full_name: '0',
  deployments: 'total',
  ...Object.fromEntries(METRIC_KEYS.map((key) => [key, DEFINITIONS[key].sort])),
} as Record<RepoSortKey, string>;

/** The teams breakdown's sorts over a team's metrics (null: no value, sorted last). */
const TEAM_SORTS: Record<Exclude<TeamSortKey, 'team'>, (m: TeamMetrics) => number | null> = {
  deployments: (m) => m.change_failure_rate.total,
  deployment_frequency: (m) => m.deployment_frequency.value,
  lead_time: (m) => m.lead_time.p95_seconds,
  change_failure_rate: (m) => m.change_failure_rate.value,
  time_to_restore: (m) => m.time_to_restore.median_seconds,
  rework_rate: (m) => m.rework_rate.value,
};

@Injectable()
export class MetricsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly metrics: MetricsRepository,
    private readonly teams: TeamsRepository,
    private readonly audit: AuditRepository,
    private readonly scopes: ScopeResolver,
  ) {}

  async summary(org: Org, query: SummaryQueryDto): Promise<Served<DoraSummary>> {
    const days = query.window ?? org.window_days;
    const asOf = asOfOf(query.as_of);
    const from = new Date(asOf.getTime() - days * DAY_MS);
    const previousFrom = new Date(from.getTime() - days * DAY_MS);
    const served = await this.transactions.readInTenant(org, async (tx) => {
      const scope = await this.scopes.resolve(tx, org, query);
      return {
        ...(await this.metrics.windows(tx, scope, { current: { from, to: asOf }, previous: { from: previousFrom, to: from } })),
        changes: await this.metrics.changesInWindow(tx, scope, { from, to: asOf }),
        previousChanges: await this.metrics.changesInWindow(tx, scope, { from: previousFrom, to: from }),
      };
    });
    const { current, previous, changes, previousChanges } = served.value;
    return withValue(served, {
      org: org.slug,
      ...echo(query),
      band_set: BAND_SET,
      window: window(days, from, asOf),
      ...toMetrics(current, days, asOf, changes),
      previous: { window: window(days, previousFrom, from), ...toMetrics(previous, days, from, previousChanges) },
    });
  }

  async series(org: Org, query: SeriesQueryDto): Promise<Served<DoraSeries>> {
    const asOf = asOfOf(query.as_of);
    const count = periodsOf(query);
    const served = await this.transactions.readInTenant(org, async (tx) => {
      const scope = await this.scopes.resolve(tx, org, query);
      const periods = await this.metrics.periods(tx, scope, { interval: query.interval, count, asOf, timezone: org.timezone });
      return { periods, changes: await this.metrics.changesPerPeriod(tx, scope, { interval: query.interval, periods, timezone: org.timezone }) };
    });
    return withValue(served, {
      org: org.slug,
      ...echo(query),
      interval: query.interval,
      timezone: org.timezone,
      points: served.value.periods.map((row) => ({
        date: row.day,
        from: row.day_from.toISOString(),
        to: row.day_to.toISOString(),
        partial: row.partial,
        // A day's frequency is its count (as before weeks and months); longer periods' are per local day.
        ...toMetrics(row.total ? row : undefined, query.interval === 'day' ? 1 : row.days, asOf, served.value.changes.get(row.day)),
      })),
    });
  }

  async repos(org: Org, query: ReposQueryDto): Promise<Served<Page<RepoMetrics>>> {
    const page = await this.breakdown(org, query, 'repo');
    return withValue(page, { ...page.value, items: page.value.items.map(({ metrics, row }) => ({ repo_full_name: row.repo_full_name, ...metrics })) });
  }

  async services(org: Org, query: ServicesQueryDto): Promise<Served<Page<ServiceMetrics>>> {
    const page = await this.breakdown(org, query, 'service');
    return withValue(page, {
      ...page.value,
      items: page.value.items.map(({ metrics, row }) => ({ repo_full_name: row.repo_full_name, service: row.service || null, team: row.team, ...metrics })),
    });
  }

  /** Every team of the org and unassigned, each over exactly the deployments attributed to it. */
  async teamBreakdown(org: Org, query: TeamsQueryDto): Promise<Served<{ items: TeamMetrics[] }>> {
    const days = query.window ?? org.window_days;
    const asOf = asOfOf(query.as_of);
    const from = new Date(asOf.getTime() - days * DAY_MS);
    const scope: DeploymentScope = { tenantId: org.id, environment: query.environment, repo: null, service: null, team: null };
    const served = await this.transactions.readInTenant(org, async (tx) => ({
      rows: await this.metrics.perTeam(tx, scope, { from, asOf }),
      changes: await this.metrics.changes(tx, scope, { from, to: asOf, groups: { owner_id: 'c.owner_id' }, withOwner: true }),
      teams: await this.teams.list(tx, org.id),
    }));
    const counts = new Map(served.value.rows.map((row) => [row.owner_id, row]));
    const changes = new Map(served.value.changes.map((row) => [row.owner_id, row]));
    const metricsOf = (id: string | null) => toMetrics(counts.get(id), days, asOf, changes.get(id));
    const items: TeamMetrics[] = [
      ...served.value.teams.map((team) => ({ team: team.slug, name: team.name, ...metricsOf(team.id) })),
      { team: null, name: null, ...metricsOf(null) },
    ];
    return withValue(served, { items: sortTeams(items, query.sort) });
  }

  private async breakdown(org: Org, query: ReposQueryDto & { repo?: string }, by: 'repo' | 'service') {
    const days = query.window ?? org.window_days;
    const asOf = asOfOf(query.as_of);
    const from = new Date(asOf.getTime() - days * DAY_MS);
    const descending = query.sort.startsWith('-');
    const key = query.sort.replace(/^-/, '') as RepoSortKey;
    const sort = {
      expression: descending && key !== 'repo_full_name' ? `-(${REPO_SORTS[key]})` : REPO_SORTS[key],
      nameDescending: descending && key === 'repo_full_name',
    };
    const after = query.cursor ? decodeCursor(query.cursor, by === 'repo' ? isRepoCursor : isServiceCursor) : null;
    const served = await this.transactions.readInTenant(org, async (tx) => {
      const scope = await this.scopes.resolve(tx, org, query);
      const rows = await this.metrics.breakdown(tx, scope, { by, from, asOf, sort, after, limit: query.limit + 1 });
      const groups: Record<'repo_full_name' | 'service', string> = { repo_full_name: 'c.repo_full_name', service: by === 'repo' ? 'NULL' : 'c.service' };
      // Only the page's repos: a big org's other commits would be sorted for nothing.
      const repos = [...new Set(rows.map((row) => row.repo_full_name))];
      const changes = await this.metrics.changes(tx, scope, { from, to: asOf, groups, repos });
      return { rows, changes: new Map(changes.map((row) => [groupKey(row), row])) };
    });
    return withValue(
      served,
      pageOf(
        served.value.rows,
        query.limit,
        (row: GroupRow) => ({ row, metrics: toMetrics(row, days, asOf, served.value.changes.get(groupKey({ ...row, service: by === 'repo' ? null : row.service }))) }),
        (row): BreakdownCursor => (by === 'repo' ? [row.sort_null, row.sort_value, row.repo_full_name] : [row.sort_null, row.sort_value, row.repo_full_name, row.service]),
      ),
    );
  }

  async deployments(org: Org, query: DeploymentsQueryDto): Promise<Served<Page<DeploymentItem>>> {
    const { from, to } = timeRange(query.from, query.to);
    const after = query.cursor ? decodeCursor(query.cursor, isTimeAndIdCursor) : null;
    const served = await this.transactions.readInTenant(org, async (tx) =>
      this.metrics.deployments(
        tx,
        { ...(await this.scopes.resolve(tx, org, query)), from, to, success: query.success ?? null, isRework: query.is_rework ?? null },
        { after, limit: query.limit + 1 },
      ),
    );
    return withValue(served, pageOf(served.value, query.limit, toDeploymentItem, (row) => [row.deployed_at_exact, row.id]));
  }

  /**
   * Every deployment the list's filters select (no page limit), newest first, read a page of
   * EXPORT_PAGE at a time, each page its own read: an export of any size holds one page in memory.
   * The range ends where the export began, so deployments arriving meanwhile do not shift it.
   */
  async *deploymentPages(org: Org, query: DeploymentsQueryDto): AsyncGenerator<Served<DeploymentItem[]>> {
    const pageQuery = { ...query, to: query.to ?? new Date().toISOString(), limit: EXPORT_PAGE };
    let cursor: string | undefined;
    do {
      const page = await this.deployments(org, { ...pageQuery, cursor });
      yield withValue(page, page.value.items);
      cursor = page.value.next_cursor ?? undefined;
    } while (cursor);
  }

  /** Every repo of the breakdown (no page limit), in its sort order. */
  reposForExport(org: Org, query: ReposQueryDto): Promise<Served<Page<RepoMetrics>>> {
    return this.repos(org, { ...query, cursor: undefined, limit: Number.MAX_SAFE_INTEGER - 1 });
  }

  async deployment(org: Org, id: string): Promise<Served<DeploymentDetail>> {
    const notFound = new DomainError('not_found', `No deployment ${id} in this org`);
    if (!isUuid(id)) throw notFound;
    return this.transactions.readInTenant(org, async (tx) => {
      const row = await this.metrics.deployment(tx, org.id, id);
      if (!row) throw notFound;
      const events = await this.audit.forSubject(tx, org.id, { type: 'deployment', id });
      const commits = (await this.metrics.commitsOf(tx, org.id, id)).map((commit) => ({
        sha: commit.sha,
        committed_at: commit.committed_at.toISOString(),
        lead_time_seconds: commit.lead_time_seconds,
        first_shipped: commit.first_shipped,
      }));
      return { ...toDeploymentItem(row), audit_events: events.map(toAuditEventItem), commits, change_set_truncated: row.change_set_truncated };
    });
  }

  /**
   * Every environment's numbers over the org's window: the whole org's, and each (repo, service)'s with
   * its team — what Prometheus scrapes (`PrometheusExposition`).
   */
  async exposedMetrics(org: Org): Promise<ExposedMetrics[]> {
    const asOf = new Date().toISOString(); // one moment for every part
    const sets: ExposedMetrics[] = [];
    for (const { environment } of (await this.environments(org)).value.items) {
      const summary = await this.summary(org, { environment, as_of: asOf } as SummaryQueryDto);
      sets.push({ labels: { environment }, metrics: metricsOf(summary.value) });
      const services = await this.services(org, { environment, as_of: asOf, sort: 'repo_full_name', limit: Number.MAX_SAFE_INTEGER - 1 } as ServicesQueryDto);
      for (const item of services.value.items) {
        sets.push({ labels: { environment, repo: item.repo_full_name, service: item.service ?? '', team: item.team ?? '' }, metrics: metricsOf(item) });
      }
    }
    return sets;
  }

  async environments(org: Org): Promise<Served<{ items: EnvironmentCount[] }>> {
    const served = await this.transactions.readInTenant(org, (tx) => this.metrics.environments(tx, org.id));
    return withValue(served, { items: served.value.map((row) => ({ ...row, last_deployed_at: row.last_deployed_at.toISOString() })) });
  }
}

/** Sorted as the per-repo breakdown is: by the key, no value last, ties by team (unassigned last). */
function sortTeams(items: TeamMetrics[], sort: string): TeamMetrics[] {
  const descending = sort.startsWith('-');
  const key = sort.replace(/^-/, '') as TeamSortKey;
  const byName = (a: TeamMetrics, b: TeamMetrics) => (a.team === null ? 1 : b.team === null ? -1 : a.team.localeCompare(b.team));
  if (key === 'team') return [...items].sort((a, b) => (descending ? -byName(a, b) : byName(a, b)));
  const value = TEAM_SORTS[key];
  return [...items].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
    return (descending ? y - x : x - y) || byName(a, b);
  });
}

function window(days: number, from: Date, to: Date): MetricsWindow {
  return { days, from: from.toISOString(), to: to.toISOString() };
}

/** Deployments per read of an export. */
const EXPORT_PAGE = 1000;

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
    service: row.service || null,
    team: row.team,
    source: row.source,
    ingested_by: ingestedBy(row),
    created_at: row.created_at.toISOString(),
  };
}

/** An ingested row without a token was imported by the operator: a token is revoked, never deleted, while rows name it. */
function ingestedBy(row: { source: string; token_id: string | null; token_name: string | null; delivery_id: string | null }): DeploymentItem['ingested_by'] {
  if (row.source !== 'api') return { type: 'webhook', id: row.delivery_id, name: 'forgejo' };
  return row.token_id === null ? { type: 'operator', id: null, name: 'deployments:import' } : { type: 'token', id: row.token_id, name: row.token_name };
}

/** A breakdown row's name as one map key: its repo, and its service for the per-service one. */
function groupKey(row: { repo_full_name: string | null; service: string | null }): string {
  return JSON.stringify([row.repo_full_name, row.service]);
}

function isRepoCursor(key: unknown[]): key is BreakdownCursor {
  return key.length === 3 && typeof key[0] === 'boolean' && typeof key[1] === 'number' && typeof key[2] === 'string';
}

function isServiceCursor(key: unknown[]): key is BreakdownCursor {
  return key.length === 4 && typeof key[0] === 'boolean' && typeof key[1] === 'number' && typeof key[2] === 'string' && typeof key[3] === 'string';
}

/** The five metrics alone. */
function metricsOf(m: DoraMetrics): DoraMetrics {
  return { deployment_frequency: m.deployment_frequency, lead_time: m.lead_time, change_failure_rate: m.change_failure_rate, time_to_restore: m.time_to_restore, rework_rate: m.rework_rate };
}
