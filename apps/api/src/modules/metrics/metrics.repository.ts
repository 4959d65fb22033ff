import { Injectable } from '@nestjs/common';
import type { DeploymentSource } from '@dora/domain';
import type { Tx } from '../../database/transactions.js';
import { AGGREGATES, type MetricCounts } from './definitions.js';

export interface DeploymentScope {
  tenantId: string;
  environment: string;
  repo: string | null;
}

export interface SeriesRow extends MetricCounts {
  day: string;
  day_from: Date;
  day_to: Date;
}

export interface RepoRow extends MetricCounts {
  repo_full_name: string;
  sort_null: boolean;
  sort_value: number;
}

/** Where a page of the per-repo breakdown ends: the last row's sort key and repo. */
export type RepoCursor = [sortNull: boolean, sortValue: number, repo: string];

export interface DeploymentRow {
  id: string;
  repo_full_name: string;
  environment: string;
  deployed_at: Date;
  commit_sha: string | null;
  committed_at: Date | null;
  success: boolean;
  is_rework: boolean;
  external_ref: string | null;
  source: DeploymentSource;
  token_id: string | null;
  token_name: string | null;
  delivery_id: string | null;
  created_at: Date;
  /** deployed_at to the microsecond, for page cursors. */
  deployed_at_exact: string;
}

/**
 * For the aggregate queries, transaction-local: a big org's percentile sorts need more than the default
 * 4 MB to stay in memory; compiling them with JIT costs more than it saves; and the covering indexes
 * make an index-only scan cheaper than reading the table even for most of a tenant's rows, which the
 * default random_page_cost (4, priced for spinning disks) hides from the planner.
 */
const QUERY_SETTINGS = /* sql */ `SET LOCAL work_mem = '64MB'; SET LOCAL jit = off; SET LOCAL random_page_cost = 1.1`;

/** Read-only SQL of the metrics: computed live in PostgreSQL, one method per query. */
@Injectable()
export class MetricsRepository {
  /**
   * The window [from, asOf) and the previous one [previousFrom, from), each counting the restores
   * before its own end. Two scans rather than one grouped scan: no sort of the rows, and PostgreSQL
   * may run the two in parallel.
   */
  async windowAndPrevious(
    tx: Tx,
    scope: DeploymentScope,
    bounds: { previousFrom: Date; from: Date; asOf: Date },
  ): Promise<{ current: MetricCounts; previous: MetricCounts }> {
    await tx.query(QUERY_SETTINGS);
    const window = (part: string, from: string, to: string) => /* sql */ `
      SELECT '${part}' AS part, ${AGGREGATES}
        FROM (SELECT *, ${to}::timestamptz AS cutoff FROM dora_deployments
               WHERE tenant_id = $1 AND environment = $2 AND ($3::text IS NULL OR repo_full_name = $3)
                 AND deployed_at >= ${from} AND deployed_at < ${to}) d`;
    const rows = await tx.query<MetricCounts & { part: 'current' | 'previous' }>(
      `${window('current', '$5', '$6')} UNION ALL ${window('previous', '$4', '$5')}`,
      [scope.tenantId, scope.environment, scope.repo, bounds.previousFrom, bounds.from, bounds.asOf],
    );
    // UNION ALL keeps no order (the parts may run in parallel).
    return { current: rows.find((row) => row.part === 'current')!, previous: rows.find((row) => row.part === 'previous')! };
  }

  /** One row per local day, ending with the day that holds `asOf`; days without deployments have no counts. */
  async daily(
    tx: Tx,
    scope: DeploymentScope,
    query: { days: number; asOf: Date; timezone: string },
  ): Promise<(Partial<MetricCounts> & Pick<SeriesRow, 'day' | 'day_from' | 'day_to'>)[]> {
    await tx.query(QUERY_SETTINGS);
    return tx.query(
      /* sql */ `
      WITH days AS (
        SELECT to_char(local_midnight, 'YYYY-MM-DD') AS day,
               local_midnight AT TIME ZONE $6 AS day_from,
               least((local_midnight + interval '1 day') AT TIME ZONE $6, $5::timestamptz) AS day_to
          FROM generate_series(date_trunc('day', $5::timestamptz AT TIME ZONE $6) - ($4 - 1) * interval '1 day',
                               date_trunc('day', $5::timestamptz AT TIME ZONE $6),
                               interval '1 day') AS local_midnight
      ),
      stats AS (
        SELECT to_char(deployed_at AT TIME ZONE $6, 'YYYY-MM-DD') AS day, ${AGGREGATES}
          FROM (SELECT *, $5::timestamptz AS cutoff FROM dora_deployments
                 WHERE tenant_id = $1 AND environment = $2 AND ($3::text IS NULL OR repo_full_name = $3)
                   AND deployed_at >= (SELECT min(day_from) FROM days) AND deployed_at < $5) d
         GROUP BY 1
      )
      SELECT stats.*, days.* FROM days LEFT JOIN stats USING (day) ORDER BY days.day`,
      [scope.tenantId, scope.environment, scope.repo, query.days, query.asOf, query.timezone],
    );
  }

  /**
   * The metrics per repo over [from, asOf), sorted by `sort.expression` (one of the service's whitelisted
   * SQL expressions, never caller text), nulls last, ties by repo; keyset-paginated after `after`.
   */
  async perRepo(
    tx: Tx,
    scope: Omit<DeploymentScope, 'repo'>,
    query: {
      from: Date;
      asOf: Date;
      sort: { expression: string; repoDescending: boolean };
      after: RepoCursor | null;
      limit: number;
    },
  ): Promise<RepoRow[]> {
    await tx.query(QUERY_SETTINGS);
    const repoOrder = query.sort.repoDescending ? { direction: 'DESC', after: '<' } : { direction: 'ASC', after: '>' };
    return tx.query<RepoRow>(
      /* sql */ `
      SELECT * FROM (
        SELECT repo_full_name, ${AGGREGATES}
          FROM (SELECT *, $4::timestamptz AS cutoff FROM dora_deployments
                 WHERE tenant_id = $1 AND environment = $2 AND deployed_at >= $3 AND deployed_at < $4) d
         GROUP BY repo_full_name
      ) per_repo,
      LATERAL (SELECT (${query.sort.expression})::double precision AS key) sort_key,
      LATERAL (SELECT key IS NULL AS sort_null, coalesce(key, 0) AS sort_value) sort
      WHERE $5::boolean IS NULL
         OR (sort_null, sort_value) > ($5::boolean, $6::double precision)
         OR ((sort_null, sort_value) = ($5::boolean, $6::double precision) AND repo_full_name ${repoOrder.after} $7)
      ORDER BY sort_null, sort_value, repo_full_name ${repoOrder.direction}
      LIMIT $8`,
      [
        scope.tenantId,
        scope.environment,
        query.from,
        query.asOf,
        query.after?.[0] ?? null,
        query.after?.[1] ?? null,
        query.after?.[2] ?? null,
        query.limit,
      ],
    );
  }

  /** Newest first, keyset-paginated on (deployed_at, id). */
  async deployments(
    tx: Tx,
    filter: DeploymentScope & { from: Date | null; to: Date | null; success: boolean | null; isRework: boolean | null },
    page: { after: [string, string] | null; limit: number },
  ): Promise<DeploymentRow[]> {
    return tx.query<DeploymentRow>(
      /* sql */ `
      SELECT ${DEPLOYMENT_COLUMNS}
        FROM dora_deployments d LEFT JOIN api_tokens t ON t.tenant_id = d.tenant_id AND t.id = d.token_id
       WHERE d.tenant_id = $1 AND d.environment = $2 AND ($3::text IS NULL OR d.repo_full_name = $3)
         AND ($4::timestamptz IS NULL OR d.deployed_at >= $4) AND ($5::timestamptz IS NULL OR d.deployed_at < $5)
         AND ($6::boolean IS NULL OR d.success = $6) AND ($7::boolean IS NULL OR d.is_rework = $7)
         AND ($8::timestamptz IS NULL OR (d.deployed_at, d.id) < ($8::timestamptz, $9::uuid))
       ORDER BY d.deployed_at DESC, d.id DESC
       LIMIT $10`,
      [
        filter.tenantId,
        filter.environment,
        filter.repo,
        filter.from,
        filter.to,
        filter.success,
        filter.isRework,
        page.after?.[0] ?? null,
        page.after?.[1] ?? null,
        page.limit,
      ],
    );
  }

  async deployment(tx: Tx, tenantId: string, id: string): Promise<DeploymentRow | undefined> {
    const [row] = await tx.query<DeploymentRow>(
      /* sql */ `
      SELECT ${DEPLOYMENT_COLUMNS}
        FROM dora_deployments d LEFT JOIN api_tokens t ON t.tenant_id = d.tenant_id AND t.id = d.token_id
       WHERE d.tenant_id = $1 AND d.id = $2`,
      [tenantId, id],
    );
    return row;
  }

  async environments(tx: Tx, tenantId: string): Promise<{ environment: string; deployments: number; last_deployed_at: Date }[]> {
    return tx.query(
      /* sql */ `
      SELECT environment, count(*)::int AS deployments, max(deployed_at) AS last_deployed_at
        FROM dora_deployments WHERE tenant_id = $1
       GROUP BY environment
       ORDER BY deployments DESC, environment`,
      [tenantId],
    );
  }
}

const DEPLOYMENT_COLUMNS = /* sql */ `
  d.id, d.repo_full_name, d.environment, d.deployed_at, d.commit_sha, d.committed_at, d.success, d.is_rework,
  d.external_ref, d.source, d.token_id, t.name AS token_name, d.delivery_id, d.created_at,
  to_char(d.deployed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS deployed_at_exact`;
