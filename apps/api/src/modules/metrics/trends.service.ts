import { Injectable } from '@nestjs/common';
import {
  type BandCounts,
  BANDED_METRICS,
  COMPARED_FIGURES,
  COMPARISON_PERIODS,
  type ComparedFigure,
  type DoraComparison,
  type DoraMetrics,
  type DoraPerformers,
  type FigureChange,
  type MetricsOverPeriod,
  type PerformersMonth,
} from '@dora/domain';
import type { Org } from '../../access/principals.js';
import { type Served, Transactions, withValue } from '../../database/transactions.js';
import { type ChangeCounts, toMetrics } from './definitions.js';
import type { ComparisonQueryDto, PerformersQueryDto } from './dto/metrics-query.dto.js';
import { MetricsRepository, periodOf } from './metrics.repository.js';
import { asOfOf, echo, ScopeResolver } from './scope-resolver.js';
import { TrendsRepository } from './trends.repository.js';

const DAY_MS = 86_400_000;

/** Each compared figure's value in a set of metrics. */
const FIGURES: Record<ComparedFigure, (m: DoraMetrics) => number | null> = {
  deployment_frequency: (m) => m.deployment_frequency.value,
  lead_time: (m) => m.lead_time.p50_seconds,
  lead_time_per_change: (m) => m.lead_time.per_change.p50_seconds,
  change_failure_rate: (m) => m.change_failure_rate.value,
  time_to_restore: (m) => m.time_to_restore.median_seconds,
  rework_rate: (m) => m.rework_rate.value,
};

/** Is delivery getting better, and where (DESIGN §4): periods compared with their baselines, and the bands of repos and teams month by month. */
@Injectable()
export class TrendsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly metrics: MetricsRepository,
    private readonly trends: TrendsRepository,
    private readonly scopes: ScopeResolver,
  ) {}

  /** Month to date, last month, the month before and the last 180 days, each with its own baseline; restores counted before each period's end. */
  async comparison(org: Org, query: ComparisonQueryDto): Promise<Served<DoraComparison>> {
    const asOf = asOfOf(query.as_of);
    const served = await this.transactions.readInTenant(org, async (tx) => {
      const scope = await this.scopes.resolve(tx, org, query);
      const bounds: Record<string, { from: Date; to: Date; days: number }> = {
        ...(await this.trends.comparisonBounds(tx, asOf, org.timezone)),
        last_180_days: { from: new Date(asOf.getTime() - 180 * DAY_MS), to: asOf, days: 180 },
        last_180_days_baseline: { from: new Date(asOf.getTime() - 360 * DAY_MS), to: new Date(asOf.getTime() - 180 * DAY_MS), days: 180 },
      };
      const counts = await this.metrics.windows(tx, scope, bounds);
      const changes: Record<string, ChangeCounts> = {};
      for (const [key, { from, to }] of Object.entries(bounds)) changes[key] = await this.metrics.changesInWindow(tx, scope, { from, to });
      return { bounds, counts, changes };
    });
    const { bounds, counts, changes } = served.value;
    const over = (key: string): MetricsOverPeriod => {
      const { from, to, days } = bounds[key]!;
      return { from: from.toISOString(), to: to.toISOString(), days, ...toMetrics(counts[key], days, to, changes[key]) };
    };
    return withValue(served, {
      org: org.slug,
      ...echo(query),
      timezone: org.timezone,
      as_of: asOf.toISOString(),
      periods: COMPARISON_PERIODS.map((period) => {
        const [current, baseline] = [over(period), over(`${period}_baseline`)];
        return { period, current, baseline, change: changeOf(current, baseline) };
      }),
    });
  }

  /**
   * For each local month and each banded metric, how many repos (or teams) with deployments that month
   * were in each band, and how many had too little data for one; restores counted before `as_of`.
   */
  async performers(org: Org, query: PerformersQueryDto): Promise<Served<DoraPerformers>> {
    const asOf = asOfOf(query.as_of);
    const basis = query.basis ?? org.lead_time_basis;
    const served = await this.transactions.readInTenant(org, async (tx) => {
      const scope = await this.scopes.resolve(tx, org, query);
      const months = await this.metrics.periodBounds(tx, { interval: 'month', count: query.months, asOf, timezone: org.timezone });
      const rows = await this.trends.perMonth(tx, scope, { by: query.by, months, asOf, timezone: org.timezone });
      const groups = {
        day: periodOf('month', 'c.first_deployed_at', '$zone'),
        grp: query.by === 'repo' ? 'c.repo_full_name' : 'c.owner_id::text',
      };
      const changes =
        basis === 'change'
          ? await this.metrics.changes(tx, scope, { from: months[0]!.day_from, to: asOf, groups, withOwner: query.by === 'team', timezone: org.timezone })
          : [];
      return { months, rows, changes: new Map(changes.map((row) => [JSON.stringify([row.day, row.grp]), row])) };
    });
    const { months, rows, changes } = served.value;
    return withValue(served, {
      org: org.slug,
      ...echo(query),
      timezone: org.timezone,
      by: query.by,
      basis,
      months: months.map((month): PerformersMonth => {
        // The deployments of no team are not a team: they are left out of the teams' counts.
        const counted = rows.filter((row) => row.day === month.day && (query.by === 'repo' || row.grp !== null));
        const tally = Object.fromEntries(BANDED_METRICS.map((metric) => [metric, { elite: 0, high: 0, medium: 0, low: 0, no_data: 0 }])) as PerformersMonth['metrics'];
        for (const row of counted) {
          const m = toMetrics(row, month.days, asOf, changes.get(JSON.stringify([row.day, row.grp])));
          const bands = {
            deployment_frequency: m.deployment_frequency.band,
            lead_time: basis === 'change' ? m.lead_time.per_change.band : m.lead_time.band,
            change_failure_rate: m.change_failure_rate.band,
            time_to_restore: m.time_to_restore.band,
          };
          for (const metric of BANDED_METRICS) tally[metric][(bands[metric] ?? 'no_data') as keyof BandCounts]++;
        }
        return { month: month.day.slice(0, 7), from: month.day_from.toISOString(), to: month.day_to.toISOString(), partial: month.partial, counted: counted.length, metrics: tally };
      }),
    });
  }
}

/** Each figure's change from its baseline: the difference, and the difference over the baseline (none from 0 or nothing). */
function changeOf(current: DoraMetrics, baseline: DoraMetrics): Record<ComparedFigure, FigureChange> {
  return Object.fromEntries(
    COMPARED_FIGURES.map((figure) => {
      const [now, before] = [FIGURES[figure](current), FIGURES[figure](baseline)];
      const absolute = now === null || before === null ? null : now - before;
      return [figure, { absolute, relative: absolute === null || before === 0 ? null : absolute / before! }];
    }),
  ) as Record<ComparedFigure, FigureChange>;
}
