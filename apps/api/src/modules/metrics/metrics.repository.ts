import { Injectable } from '@nestjs/common';
import type { DeploymentSource, SeriesInterval } from '@dora/domain';
import type { Tx } from '../../database/transactions.js';
import { AGGREGATES, CHANGE_AGGREGATES, type ChangeCounts, countsOfKinds, type MetricCounts, RESTORE_AGGREGATES } from './definitions.js';
import { DEPLOYMENTS_BUCKET, LEAD_BUCKET } from '../../database/migrations/1795790000000-change-counts.js';
import { KIND, REWORK_KIND } from '../../database/migrations/1795830000000-deployment-counts.js';
import { NO_PIN } from '../teams/teams.repository.js';
import { type DeploymentScope, isWholeEnvironment, scopedChanges, scopedDeployments, SqlParams } from './scope.js';

const DAY_MS = 86_400_000;

/** A period of a series: its local start date, its bounds, and its length in wall-clock days. */
export interface SeriesRow {
  day: string;
  day_from: Date;
  day_to: Date;
  partial: boolean;
  days: number;
}

export interface GroupRow extends MetricCounts {
  repo_full_name: string;
  /** For the per-service breakdown: '' for the whole repo. */
  service: string;
  /** For the per-service breakdown: the team the rules give the target. */
  team: string | null;
  sort_null: boolean;
  sort_value: number;
}

export interface TeamRow extends MetricCounts {
  owner_id: string | null;
}

/** Where a page of a breakdown ends: the last row's sort key and name (the repo, and for services the service). */
export type BreakdownCursor = [sortNull: boolean, sortValue: number, ...name: string[]];

/** The per-repo breakdown groups by repo; the per-service one by (repo, service). */
const GROUPS = { repo: ['repo_full_name'], service: ['repo_full_name', 'service'] } as const;

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
  service: string;
  team: string | null;
  source: DeploymentSource;
  token_id: string | null;
  token_name: string | null;
  delivery_id: string | null;
  created_at: Date;
  change_set_truncated: boolean;
  /** deployed_at to the microsecond, for page cursors. */
  deployed_at_exact: string;
}

/**
 * The `count` local periods ending with the one that holds `asOf` (placeholders), each with its start
 * date, exact bounds, whether it is unfinished, and its length in wall-clock days (so a week across a
 * change of daylight saving time is 7). `interval` is one of SERIES_INTERVALS, never caller text.
 */
function periodsSql(interval: SeriesInterval, count: string, asOf: string, zone: string): string {
  const unit = `interval '1 ${interval}'`;
  const localAsOf = `(${asOf}::timestamptz AT TIME ZONE ${zone})`;
  return /* sql */ `
    SELECT to_char(local_start, 'YYYY-MM-DD') AS day,
           local_start AT TIME ZONE ${zone} AS day_from,
           least((local_start + ${unit}) AT TIME ZONE ${zone}, ${asOf}::timestamptz) AS day_to,
           (local_start + ${unit}) AT TIME ZONE ${zone} > ${asOf}::timestamptz AS partial,
           extract(epoch FROM least(local_start + ${unit}, ${localAsOf}) - local_start)::double precision / 86400 AS days
      FROM generate_series(date_trunc('${interval}', ${localAsOf}) - (${count} - 1) * ${unit}, date_trunc('${interval}', ${localAsOf}), ${unit}) AS local_start`;
}

/** The local period (its start date, YYYY-MM-DD) that holds `instant`, as `periodsSql` names periods. */
export const periodOf = (interval: SeriesInterval, instant: string, zone: string) => `to_char(date_trunc('${interval}', ${instant} AT TIME ZONE ${zone}), 'YYYY-MM-DD')`;

/**
 * For the aggregate queries, transaction-local: a big org's percentile sorts need more than the default
 * 4 MB to stay in memory; compiling them with JIT costs more than it saves; and the covering indexes
 * make an index-only scan cheaper than reading the table even for most of a tenant's rows, which the
 * default random_page_cost (4, priced for spinning disks) hides from the planner.
 */
export const QUERY_SETTINGS = /* sql */ `SET LOCAL work_mem = '64MB'; SET LOCAL jit = off; SET LOCAL random_page_cost = 1.1`;

/** Read-only SQL of the metrics: computed live in PostgreSQL, one method per query. */
@Injectable()
export class MetricsRepository {
  /**
   * The metrics of each window [from, to), each counting the restores before its own end. For a whole
   * environment (a big org's millions of deployments) without reading each deployment (DESIGN §4): the
   * counts add up from the deployments counted by kind per day, lead time's percentiles sort one bucket's
   * deployments (`percentilesFromBuckets`), and time to restore reads the failures alone.
   */
  async windows<Key extends string>(tx: Tx, scope: DeploymentScope, windows: Record<Key, { from: Date; to: Date }>): Promise<Record<Key, MetricCounts>> {
    if (!isWholeEnvironment(scope)) return this.scanWindows(tx, scope, windows);
    const restores = await this.scanWindows(tx, scope, windows, { aggregates: RESTORE_AGGREGATES, conditions: ['NOT d.success'] });
    const answers = {} as Record<Key, MetricCounts>;
    for (const [key, window] of Object.entries<{ from: Date; to: Date }>(windows)) {
      const kinds = await this.bucketCounts(tx, PER_DEPLOYMENT, scope, window);
      answers[key as Key] = {
        ...restores[key as Key],
        ...countsOfKinds(kinds.count, kinds.sample),
        lead_time: await this.percentilesFromBuckets(tx, PER_DEPLOYMENT, scope, kinds, window),
      };
    }
    return answers;
  }

  /**
   * The metrics (or `aggregates`) of each window [from, to) over its deployments (that meet `conditions`),
   * each counting the restores before its own end (or all before `restoresBefore`): one scan per window
   * rather than one grouped scan — no sort of all the rows by their window, and PostgreSQL may run them in parallel.
   */
  private async scanWindows<Key extends string>(
    tx: Tx,
    scope: DeploymentScope,
    windows: Record<Key, { from: Date; to: Date }>,
    { restoresBefore, aggregates = AGGREGATES, conditions = [] }: { restoresBefore?: Date; aggregates?: string; conditions?: string[] } = {},
  ): Promise<Record<Key, MetricCounts>> {
    await tx.query(QUERY_SETTINGS);
    const p = new SqlParams();
    const sharedCutoff = restoresBefore && p.add(restoresBefore);
    const parts = Object.entries<{ from: Date; to: Date }>(windows).map(([key, bounds]) => {
      const [from, to] = [p.add(bounds.from), p.add(bounds.to)];
      return /* sql */ `
        SELECT ${p.add(key)}::text AS part, ${aggregates}
          FROM (SELECT s.*, ${sharedCutoff ?? to}::timestamptz AS cutoff
                  FROM (${scopedDeployments(scope, p, [`d.deployed_at >= ${from}`, `d.deployed_at < ${to}`, ...conditions])}) s) d`;
    });
    const rows = await tx.query<MetricCounts & { part: Key }>(parts.join(' UNION ALL '), p.values);
    // UNION ALL keeps no order (the parts may run in parallel).
    return Object.fromEntries(rows.map(({ part, ...counts }) => [part, counts])) as unknown as Record<Key, MetricCounts>;
  }

  /**
   * One row per local period (day, week from Monday, month from the 1st), ending with the one that holds
   * `asOf`, each with its exact bounds, its length in wall-clock days and its metrics (restores counted
   * until `asOf`); periods without deployments have a total of 0. `interval` is one of SERIES_INTERVALS.
   */
  async periods(
    tx: Tx,
    scope: DeploymentScope,
    query: { interval: SeriesInterval; count: number; asOf: Date; timezone: string },
  ): Promise<(MetricCounts & SeriesRow)[]> {
    const periods = await this.periodBounds(tx, query);
    const windows = Object.fromEntries(periods.map((row) => [row.day, { from: row.day_from, to: row.day_to }]));
    const counts = await this.scanWindows(tx, scope, windows, { restoresBefore: query.asOf });
    return periods.map((row) => ({ ...counts[row.day]!, ...row }));
  }

  /** The periods alone, as `periods` cuts them. */
  async periodBounds(tx: Tx, query: { interval: SeriesInterval; count: number; asOf: Date; timezone: string }): Promise<SeriesRow[]> {
    const p = new SqlParams();
    const [count, asOf, zone] = [p.add(query.count), p.add(query.asOf), p.add(query.timezone)];
    return tx.query(`${periodsSql(query.interval, count, asOf, zone)} ORDER BY day`, p.values);
  }

  /**
   * The metrics per repo, or per (repo, service), over [from, asOf), sorted by `sort.expression` (one of
   * the service's whitelisted SQL expressions, never caller text), nulls last, ties by name; keyset-paginated
   * after `after`. Per service, each row also names the team the rules give it.
   */
  async breakdown(
    tx: Tx,
    scope: DeploymentScope,
    query: {
      by: keyof typeof GROUPS;
      from: Date;
      asOf: Date;
      sort: { expression: string; nameDescending: boolean };
      after: BreakdownCursor | null;
      limit: number;
    },
  ): Promise<GroupRow[]> {
    await tx.query(QUERY_SETTINGS);
    const p = new SqlParams();
    const group = GROUPS[query.by].join(', ');
    const [from, asOf] = [p.add(query.from), p.add(query.asOf)];
    const rows = scopedDeployments(scope, p, [`d.deployed_at >= ${from}`, `d.deployed_at < ${asOf}`]);
    const direction = query.sort.nameDescending ? 'DESC' : 'ASC';
    const order = `sort_null, sort_value, ${GROUPS[query.by].map((column) => `${column} ${direction}`).join(', ')}`;
    let after = '';
    if (query.after) {
      const [sortNull, sortValue, ...name] = query.after;
      const key = `(${p.add(sortNull)}::boolean, ${p.add(sortValue)}::double precision)`;
      const nameKey = `(${name.map((part) => `${p.add(part)}::text`).join(', ')})`;
      after = `WHERE (sort_null, sort_value) > ${key} OR ((sort_null, sort_value) = ${key} AND (${group}) ${query.sort.nameDescending ? '<' : '>'} ${nameKey})`;
    }
    const tenant = query.by === 'service' ? p.add(scope.tenantId) : '';
    const team =
      query.by === 'service'
        ? /* sql */ `(SELECT tm.slug FROM deployment_targets t JOIN teams tm ON tm.tenant_id = t.tenant_id AND tm.id = t.team_id
             WHERE t.tenant_id = ${tenant} AND tm.tenant_id = ${tenant} AND t.repo_full_name = g.repo_full_name AND t.service = g.service
               AND t.pinned_team_id = '${NO_PIN}')`
        : 'NULL';
    return tx.query<GroupRow>(
      /* sql */ `
      SELECT g.*, ${team} AS team FROM (
        SELECT * FROM (
          SELECT ${query.by === 'service' ? group : `${group}, '' AS service`}, ${AGGREGATES}
            FROM (SELECT s.*, ${asOf}::timestamptz AS cutoff FROM (${rows}) s) d
           GROUP BY ${group}
        ) per_group,
        LATERAL (SELECT (${query.sort.expression})::double precision AS key) sort_key,
        LATERAL (SELECT key IS NULL AS sort_null, coalesce(key, 0) AS sort_value) sort
        ${after}
        ORDER BY ${order}
        LIMIT ${p.add(query.limit)}
      ) g
      ORDER BY ${order}`,
      p.values,
    );
  }

  /**
   * The metrics per team (owner_id; null for the deployments of no team) of an environment over
   * [from, asOf): one row per team with deployments. Read target by target in the order of their
   * owners (an index), so the rows arrive grouped by team and need no sort of the window by team.
   */
  async perTeam(tx: Tx, scope: { tenantId: string; environment: string }, query: { from: Date; asOf: Date }): Promise<TeamRow[]> {
    await tx.query(QUERY_SETTINGS);
    return tx.query<TeamRow>(
      /* sql */ `
      SELECT owner_id, ${AGGREGATES}
        FROM (SELECT t.owner_id, x.deployed_at, x.success, x.is_rework, x.lead_time_seconds, x.restored_at, $4::timestamptz AS cutoff
                FROM deployment_targets t
                JOIN dora_deployments x
                  ON x.tenant_id = $1 AND x.environment = $2 AND x.repo_full_name = t.repo_full_name AND x.service = t.service
                 AND coalesce(x.pinned_team_id, '${NO_PIN}') = t.pinned_team_id AND x.deployed_at >= $3 AND x.deployed_at < $4
               WHERE t.tenant_id = $1) d
       GROUP BY owner_id`,
      [scope.tenantId, scope.environment, query.from, query.asOf],
    );
  }

  /** Newest first, keyset-paginated on (deployed_at, id). */
  async deployments(
    tx: Tx,
    filter: DeploymentScope & { from: Date | null; to: Date | null; success: boolean | null; isRework: boolean | null },
    page: { after: [string, string] | null; limit: number },
  ): Promise<DeploymentRow[]> {
    const p = new SqlParams();
    const conditions: string[] = [];
    if (filter.from) conditions.push(`d.deployed_at >= ${p.add(filter.from)}`);
    if (filter.to) conditions.push(`d.deployed_at < ${p.add(filter.to)}`);
    if (filter.success !== null) conditions.push(`d.success = ${p.add(filter.success)}`);
    if (filter.isRework !== null) conditions.push(`d.is_rework = ${p.add(filter.isRework)}`);
    if (page.after) conditions.push(`(d.deployed_at, d.id) < (${p.add(page.after[0])}::timestamptz, ${p.add(page.after[1])}::uuid)`);
    const rows = scopedDeployments(filter, p, conditions);
    const tenant = p.add(filter.tenantId);
    // The page first, then each row's team: joining the targets before the LIMIT would join every row of the range.
    return tx.query<DeploymentRow>(
      /* sql */ `
      SELECT ${DEPLOYMENT_COLUMNS}
        FROM (SELECT page.*, t.owner_id AS team_id
                FROM (SELECT * FROM (${rows}) s ORDER BY deployed_at DESC, id DESC LIMIT ${p.add(page.limit)}) page
                LEFT JOIN deployment_targets t ON t.tenant_id = ${tenant} AND t.repo_full_name = page.repo_full_name AND t.service = page.service
                      AND t.pinned_team_id = coalesce(page.pinned_team_id, '${NO_PIN}')) d
        ${deploymentJoins(tenant)}
       ORDER BY d.deployed_at DESC, d.id DESC`,
      p.values,
    );
  }

  async deployment(tx: Tx, tenantId: string, id: string): Promise<DeploymentRow | undefined> {
    const [row] = await tx.query<DeploymentRow>(
      /* sql */ `
      SELECT ${DEPLOYMENT_COLUMNS}
        FROM (SELECT d.*, t.owner_id AS team_id
                FROM dora_deployments d
                LEFT JOIN deployment_targets t ON t.tenant_id = $1 AND t.repo_full_name = d.repo_full_name AND t.service = d.service
                      AND t.pinned_team_id = coalesce(d.pinned_team_id, '${NO_PIN}')
               WHERE d.tenant_id = $1 AND d.id = $2) d
        ${deploymentJoins('$1')}`,
      [tenantId, id],
    );
    return row;
  }

  /**
   * Per-change lead time of the commits first shipped in [from, to) in the scope — of `repos` only, when
   * given — grouped by `groups` (alias → SQL over `c`, and `owner_id` with `withOwner`); one row without groups.
   */
  async changes<Group extends string>(
    tx: Tx,
    scope: DeploymentScope,
    query: { from: Date | string; to: Date; groups?: Record<Group, string>; withOwner?: boolean; timezone?: string; repos?: string[] },
  ): Promise<(ChangeCounts & Record<Group, string | null>)[]> {
    await tx.query(QUERY_SETTINGS);
    const p = new SqlParams();
    const [from, to] = [p.add(query.from), p.add(query.to)];
    const zone = query.timezone === undefined ? '' : p.add(query.timezone);
    const groups = Object.entries<string>(query.groups ?? ({} as Record<Group, string>)).map(([alias, sql]) => `${sql.replaceAll('$zone', zone)} AS ${alias}`);
    const conditions = [`c.first_deployed_at >= ${from}::timestamptz`, `c.first_deployed_at < ${to}`];
    if (query.repos) conditions.push(`c.repo_full_name = ANY (${p.add(query.repos)}::text[])`);
    const rows = scopedChanges(scope, p, conditions, query.withOwner);
    return tx.query(
      `SELECT ${[...groups, CHANGE_AGGREGATES].join(', ')} FROM (${rows}) c ${groups.length ? `GROUP BY ${groups.map((_, i) => i + 1).join(', ')}` : ''}`,
      p.values,
    );
  }

  /**
   * Per-change lead time of the commits first shipped in [from, to) in the scope, as `changes` answers it;
   * for a whole environment (the summary's question, over millions of commits in a big org) from the
   * bucket counts (`percentilesFromBuckets`), which also count the deployments that first shipped a change.
   */
  async changesInWindow(tx: Tx, scope: DeploymentScope, window: { from: Date; to: Date }): Promise<ChangeCounts> {
    if (!isWholeEnvironment(scope)) return (await this.changes(tx, scope, window))[0]!;
    await tx.query(QUERY_SETTINGS);
    const buckets = await this.bucketCounts(tx, PER_CHANGE, scope, window);
    return {
      change_sample: buckets.sample,
      change_excluded_negative: buckets.count(-1),
      deployments_with_changes: buckets.count(DEPLOYMENTS_BUCKET),
      change_lead_time: await this.percentilesFromBuckets(tx, PER_CHANGE, scope, buckets, window),
    };
  }

  /**
   * The rows of `source` in [from, to) of a whole environment counted per lead-time bucket (DESIGN §4):
   * of the window's whole UTC days from the counts table, of the partial days at its ends from the rows
   * themselves, in ascending bucket order.
   */
  private async bucketCounts(tx: Tx, source: BucketedLeadTimes, scope: DeploymentScope, window: { from: Date; to: Date }): Promise<Buckets> {
    const [from, to] = [window.from.getTime(), window.to.getTime()];
    const [firstDay, endDay] = [Math.ceil(from / DAY_MS) * DAY_MS, Math.floor(to / DAY_MS) * DAY_MS];
    const [days, edges] =
      firstDay < endDay
        ? [[firstDay, endDay], [[from, firstDay], [endDay, to]]]
        : [[0, 0], [[from, to]]];
    const p = new SqlParams();
    const [tenant, environment] = [p.add(scope.tenantId), p.add(scope.environment)];
    // One index-only range scan per partial day (an OR of the two made a bitmap scan of the table).
    const edgeRows = edges
      .filter(([a, b]) => a! < b!)
      .map(
        ([a, b]) => /* sql */ `
        SELECT ${source.edgeColumns} FROM ${source.rows}
         WHERE tenant_id = ${tenant} AND environment = ${environment} AND ${source.at} >= ${p.add(new Date(a!))} AND ${source.at} < ${p.add(new Date(b!))}`,
      );
    const rows = await tx.query<{ bucket: number; n: number }>(
      /* sql */ `
      WITH edge AS (${edgeRows.join(' UNION ALL ') || `SELECT ${source.edgeColumns} FROM ${source.rows} WHERE false`})
      SELECT bucket, sum(n)::int AS n FROM (
        SELECT ${source.bucket} AS bucket, n FROM ${source.counts}
         WHERE tenant_id = ${tenant} AND environment = ${environment}
           AND day >= (${p.add(new Date(days[0]!))}::timestamptz AT TIME ZONE 'UTC')::date AND day < (${p.add(new Date(days[1]!))}::timestamptz AT TIME ZONE 'UTC')::date
        UNION ALL
        SELECT bucket, count(*)::int FROM edge WHERE bucket IS NOT NULL GROUP BY bucket
        ${source.edgeCounts}
      ) counts
      GROUP BY bucket ORDER BY bucket`,
      p.values,
    );
    const measured = rows.filter((row) => row.bucket >= 0 && row.n > 0);
    return { measured, sample: measured.reduce((sum, row) => sum + row.n, 0), count: (bucket) => rows.find((row) => row.bucket === bucket)?.n ?? 0 };
  }

  /**
   * PostgreSQL's percentile_cont at 0.5 and 0.95 of the lead times of `source`'s rows in the window,
   * counted by bucket (`bucketCounts`), without sorting them all: the counts place each rank in one
   * bucket, and only that bucket's rows in the window are sorted (an index per bucket). Null without a sample.
   */
  private async percentilesFromBuckets(
    tx: Tx,
    source: BucketedLeadTimes,
    scope: DeploymentScope,
    { measured, sample }: Buckets,
    window: { from: Date; to: Date },
  ): Promise<[number, number] | null> {
    if (sample === 0) return null;

    /** The lead times from rank `rank` on (0-based, ascending) among the window's measured rows, at most `count`, all of rank's bucket. */
    const valuesFrom = async (rank: number, count: number): Promise<number[]> => {
      let below = 0;
      for (const { bucket, n } of measured) {
        if (rank < below + n) {
          const rows = await tx.query<{ lead_time_seconds: number }>(
            /* sql */ `
            SELECT lead_time_seconds FROM ${source.rows}
             WHERE tenant_id = $1 AND environment = $2 AND lead_bucket = $3 AND lead_bucket >= 0 AND ${source.at} >= $4 AND ${source.at} < $5
             ORDER BY lead_time_seconds OFFSET $6 LIMIT $7`,
            [scope.tenantId, scope.environment, bucket, window.from, window.to, rank - below, count],
          );
          return rows.map((row) => row.lead_time_seconds);
        }
        below += n;
      }
      throw new Error(`rank ${rank} beyond the ${sample} ${source.rows} counted`);
    };
    /** PostgreSQL's percentile_cont: between the ranks around fraction · (n − 1), read together when one bucket holds both. */
    const percentile = async (fraction: number) => {
      const position = fraction * (sample - 1);
      const [lower, upper] = [Math.floor(position), Math.ceil(position)];
      const [first, next] = await valuesFrom(lower, upper - lower + 1);
      if (upper === lower) return first!;
      const second = next ?? (await valuesFrom(upper, 1))[0]!;
      return first! + (second - first!) * (position - lower);
    };
    return [await percentile(0.5), await percentile(0.95)];
  }

  /**
   * Per-change lead time of each period of a series (keyed by its `day`): period by period from the
   * bucket counts for a whole environment, else in one grouped statement over the scope's changes.
   */
  async changesPerPeriod(tx: Tx, scope: DeploymentScope, query: { interval: SeriesInterval; periods: SeriesRow[]; timezone: string }): Promise<Map<string, ChangeCounts>> {
    if (isWholeEnvironment(scope)) {
      const answers = new Map<string, ChangeCounts>();
      for (const period of query.periods) answers.set(period.day, await this.changesInWindow(tx, scope, { from: period.day_from, to: period.day_to }));
      return answers;
    }
    const groups = { day: periodOf(query.interval, 'c.first_deployed_at', '$zone') };
    const rows = await this.changes(tx, scope, { from: query.periods[0]!.day_from, to: query.periods.at(-1)!.day_to, groups, timezone: query.timezone });
    return new Map(rows.map((row) => [row.day!, row]));
  }

  /** A deployment's change set, each commit with where it was first shipped (null while no success has). */
  async commitsOf(
    tx: Tx,
    tenantId: string,
    deploymentId: string,
  ): Promise<{ sha: string; committed_at: Date; lead_time_seconds: number; first_shipped: 'here' | 'earlier' | 'later' | 'not_yet' }[]> {
    return tx.query(
      /* sql */ `
      SELECT k.sha, k.committed_at, extract(epoch FROM d.deployed_at - k.committed_at)::double precision AS lead_time_seconds,
             CASE WHEN c.first_deployment_id IS NULL THEN 'not_yet'
                  WHEN c.first_deployment_id = d.id THEN 'here'
                  WHEN (c.first_deployed_at, c.first_deployment_id) < (d.deployed_at, d.id) THEN 'earlier'
                  ELSE 'later' END AS first_shipped
        FROM dora_deployment_commits k
        JOIN dora_deployments d ON d.tenant_id = $1 AND d.id = k.deployment_id
        LEFT JOIN dora_changes c ON c.tenant_id = $1 AND c.repo_full_name = d.repo_full_name AND c.service = d.service
                                AND c.environment = d.environment AND c.sha = k.sha
       WHERE k.tenant_id = $1 AND k.deployment_id = $2
       ORDER BY k.committed_at, k.sha`,
      [tenantId, deploymentId],
    );
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

/**
 * A window's rows counted by bucket: of lead time (0 and up) or another count the source keeps (below 0).
 * `measured`: the lead-time buckets with rows, ascending; `sample`: their rows together.
 */
interface Buckets {
  measured: { bucket: number; n: number }[];
  sample: number;
  count(bucket: number): number;
}

/**
 * Rows counted per UTC day by lead-time bucket (DESIGN §4): their table, their time, the counts table and
 * its bucket column, and what the window's partial days read of each row (`edge`) — its `bucket` and what
 * `edgeCounts` adds to the counts from those rows.
 */
interface BucketedLeadTimes {
  rows: string;
  at: string;
  counts: string;
  bucket: string;
  edgeColumns: string;
  edgeCounts: string;
}

/** Each commit once, at its first successful deployment; the counts also count the deployments that first shipped one. */
const PER_CHANGE: BucketedLeadTimes = {
  rows: 'dora_changes',
  at: 'first_deployed_at',
  counts: 'dora_change_counts',
  bucket: 'lead_bucket',
  edgeColumns: 'lead_bucket AS bucket, first_deployment_id',
  edgeCounts: `UNION ALL SELECT ${DEPLOYMENTS_BUCKET}, count(DISTINCT first_deployment_id)::int FROM edge`,
};

/**
 * Each deployment by kind (DEPLOYMENT_KINDS; the buckets: its lead time's), a rework counted once more; at
 * the window's ends computed from the window index's columns (no heap reads) as the stored kinds are.
 */
const PER_DEPLOYMENT: BucketedLeadTimes = {
  rows: 'dora_deployments',
  at: 'deployed_at',
  counts: 'dora_deployment_counts',
  bucket: 'kind',
  edgeColumns: `${KIND('success', LEAD_BUCKET('lead_time_seconds'))} AS bucket, success, is_rework`,
  edgeCounts: `UNION ALL SELECT ${REWORK_KIND('success')}, count(*)::int FROM edge WHERE is_rework GROUP BY 1`,
};

/** Over rows of `d` with their `team_id` (the team they are attributed to). */
const DEPLOYMENT_COLUMNS = /* sql */ `
  d.id, d.repo_full_name, d.environment, d.deployed_at, d.commit_sha, d.committed_at, d.success, d.is_rework,
  d.external_ref, d.service, tm.slug AS team, d.source, d.token_id, tk.name AS token_name, d.delivery_id, d.created_at, d.change_set_truncated,
  to_char(d.deployed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS deployed_at_exact`;

/**
 * The token's name and the team's slug of rows `d` of the org `tenant` (a placeholder). Every table is
 * filtered on the tenant itself, not only through `d`: Citus then routes the whole statement to the org's
 * worker (joining the LIMITed subquery's result on `d.tenant_id` instead crashed its planner, Citus 13.2).
 */
function deploymentJoins(tenant: string): string {
  return /* sql */ `
  LEFT JOIN api_tokens tk ON tk.tenant_id = ${tenant} AND tk.id = d.token_id
  LEFT JOIN teams tm ON tm.tenant_id = ${tenant} AND tm.id = d.team_id`;
}
