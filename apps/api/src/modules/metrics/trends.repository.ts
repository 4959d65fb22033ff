import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transactions.js';
import { AGGREGATES, type MetricCounts } from './definitions.js';
import { periodOf, QUERY_SETTINGS, type SeriesRow } from './metrics.repository.js';
import { type DeploymentScope, scopedDeployments, SqlParams } from './scope.js';

/** A month's metrics of one repo or team (`grp`: the repo's name, or the team's id, null for unassigned). */
export interface MonthGroupRow extends MetricCounts {
  day: string;
  grp: string | null;
}

/** Read-only SQL of the trends (DESIGN §4): the comparison's periods and the metrics per month and repo or team. */
@Injectable()
export class TrendsRepository {
  /**
   * The comparison's periods (DESIGN §4) in the org's time zone as of `asOf`: this month to `asOf` and the
   * same elapsed part of last month (day 1 to the same day and time, at most the whole month), last month
   * and the month before, the month before and the one before it; with their lengths in wall-clock days.
   */
  async comparisonBounds(tx: Tx, asOf: Date, timezone: string): Promise<Record<string, { from: Date; to: Date; days: number }>> {
    const [row] = await tx.query<Record<string, Date | number>>(
      /* sql */ `
      WITH t AS (SELECT $1::timestamptz AT TIME ZONE $2 AS local_as_of, date_trunc('month', $1::timestamptz AT TIME ZONE $2) AS m0),
           b AS (SELECT local_as_of, m0, m0 - interval '1 month' AS m1, m0 - interval '2 months' AS m2, m0 - interval '3 months' AS m3,
                        least(m0 - interval '1 month' + (local_as_of - m0), m0) AS m1_same_point FROM t)
      SELECT m0 AT TIME ZONE $2 AS month_to_date_from, $1::timestamptz AS month_to_date_to, extract(epoch FROM local_as_of - m0) / 86400 AS month_to_date_days,
             m1 AT TIME ZONE $2 AS month_to_date_baseline_from, m1_same_point AT TIME ZONE $2 AS month_to_date_baseline_to,
             extract(epoch FROM m1_same_point - m1) / 86400 AS month_to_date_baseline_days,
             m1 AT TIME ZONE $2 AS last_month_from, m0 AT TIME ZONE $2 AS last_month_to, extract(epoch FROM m0 - m1) / 86400 AS last_month_days,
             m2 AT TIME ZONE $2 AS month_before_from, m1 AT TIME ZONE $2 AS month_before_to, extract(epoch FROM m1 - m2) / 86400 AS month_before_days,
             m3 AT TIME ZONE $2 AS month_before_baseline_from, m2 AT TIME ZONE $2 AS month_before_baseline_to, extract(epoch FROM m2 - m3) / 86400 AS month_before_baseline_days
        FROM b`,
      [asOf, timezone],
    );
    const period = (name: string) => ({ from: row![`${name}_from`] as Date, to: row![`${name}_to`] as Date, days: Number(row![`${name}_days`]) });
    return {
      month_to_date: period('month_to_date'),
      month_to_date_baseline: period('month_to_date_baseline'),
      last_month: period('last_month'),
      last_month_baseline: period('month_before'),
      month_before: period('month_before'),
      month_before_baseline: period('month_before_baseline'),
    };
  }

  /**
   * The metrics of each repo (or team) in each of the local months ending with the one that holds
   * `asOf`, restores counted before `asOf`: one row per month and repo (or team) with deployments.
   */
  async perMonth(tx: Tx, scope: DeploymentScope, query: { by: 'repo' | 'team'; months: SeriesRow[]; asOf: Date; timezone: string }): Promise<MonthGroupRow[]> {
    await tx.query(QUERY_SETTINGS);
    const p = new SqlParams();
    const [asOf, zone, from] = [p.add(query.asOf), p.add(query.timezone), p.add(query.months[0]!.day_from)];
    const rows = scopedDeployments(scope, p, [`d.deployed_at >= ${from}`, `d.deployed_at < ${asOf}`], query.by === 'team');
    return tx.query<MonthGroupRow>(
      /* sql */ `
      SELECT ${periodOf('month', 'deployed_at', zone)} AS day,
             ${query.by === 'repo' ? 'repo_full_name' : 'owner_id::text'} AS grp, ${AGGREGATES}
        FROM (SELECT s.*, ${asOf}::timestamptz AS cutoff FROM (${rows}) s) d
       GROUP BY 1, 2`,
      p.values,
    );
  }
}
