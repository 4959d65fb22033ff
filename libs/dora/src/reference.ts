/**
 * The DORA metrics of DESIGN §4, computed the obvious way over an array of deployments. Not used by
 * the service: it is the yardstick its SQL is tested against, so it favours plainness over speed.
 */
import { changeFailureRateBand, deploymentFrequencyBand, leadTimeBand, timeToRestoreBand } from './bands.js';
import type { ChangeLeadTime, DoraMetrics, MetricsWindow, RepoMetrics, SeriesInterval, SeriesPoint } from './metrics.js';
import type { TeamRule } from './teams.js';

export interface ReferenceDeployment {
  repo_full_name: string;
  environment: string;
  /** Null: the whole repo. */
  service: string | null;
  /** The team slug its ingest named, or null: the rules decide. */
  team: string | null;
  /** Epoch milliseconds. */
  deployed_at: number;
  commit_sha: string | null;
  committed_at: number | null;
  success: boolean;
  is_rework: boolean;
  /** The change set, sha lower-case, `committed_at` in epoch ms; absent: the head commit when it has both fields. */
  commits?: { sha: string; committed_at: number }[];
  /** Orders deployments at the same instant, as the service's ids do (its insertion order). */
  order?: number;
}

/** Which deployments a question is about, besides environment and time. */
export interface ReferenceFilter {
  repo: string | null;
  service?: string | null;
  /** A team slug, 'unassigned', or null/absent for all. */
  team?: string | null;
  /** The org's ordered rules (absent: none). */
  rules?: readonly TeamRule[];
}

export interface ReferenceQuery extends ReferenceFilter {
  environment: string;
  days: number;
  /** Epoch milliseconds. */
  asOf: number;
}

const DAY_MS = 86_400_000;

/** `percentile_cont`: linear interpolation between the two nearest ranks. */
export function percentileCont(values: number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const lower = sorted[Math.floor(position)]!;
  const upper = sorted[Math.ceil(position)]!;
  return lower + (upper - lower) * (position - Math.floor(position));
}

/** The team that owns a deployment: the one its ingest named, else the first matching rule's, else none. */
export function referenceTeamOf(d: ReferenceDeployment, rules: readonly TeamRule[] = []): string | null {
  if (d.team !== null) return d.team;
  const rule = rules.find((r) => globMatches(r.repo, d.repo_full_name) && (r.service === null || (d.service !== null && globMatches(r.service, d.service))));
  return rule?.team ?? null;
}

/** A `*` glob the plain way (a regular expression; the service's linear matcher is what this checks). */
function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(value);
}

function inFilter(d: ReferenceDeployment, filter: ReferenceFilter): boolean {
  if (filter.repo !== null && d.repo_full_name !== filter.repo) return false;
  if ((filter.service ?? null) !== null && d.service !== filter.service) return false;
  if ((filter.team ?? null) === null) return true;
  const owner = referenceTeamOf(d, filter.rules);
  return filter.team === 'unassigned' ? owner === null : owner === filter.team;
}

/**
 * The first success of the same repo, service and environment strictly after the failure and before
 * `restoresBefore`, or `undefined` while the failure is open.
 */
function restoredAt(all: ReferenceDeployment[], failure: ReferenceDeployment, restoresBefore: number): number | undefined {
  const later = all
    .filter(
      (d) =>
        d.success &&
        d.repo_full_name === failure.repo_full_name &&
        d.service === failure.service &&
        d.environment === failure.environment &&
        d.deployed_at > failure.deployed_at &&
        d.deployed_at < restoresBefore,
    )
    .map((d) => d.deployed_at);
  return later.length ? Math.min(...later) : undefined;
}

function changeSetOf(d: ReferenceDeployment): { sha: string; committed_at: number }[] {
  if (d.commits) return d.commits;
  return d.commit_sha !== null && d.committed_at !== null ? [{ sha: d.commit_sha.toLowerCase(), committed_at: d.committed_at }] : [];
}

/**
 * Every commit once per repo, service and environment: its first successful deployment (the earliest;
 * at the same instant, the first in `order`) and its lead time from the commit time that deployment listed.
 */
export function referenceChanges(all: ReferenceDeployment[]): { sha: string; first: ReferenceDeployment; lead_seconds: number }[] {
  const firsts = new Map<string, { sha: string; first: ReferenceDeployment; committed_at: number }>();
  for (const d of all.filter((row) => row.success)) {
    for (const commit of changeSetOf(d)) {
      const key = JSON.stringify([d.repo_full_name, d.service, d.environment, commit.sha]);
      const known = firsts.get(key);
      const earlier = !known || d.deployed_at < known.first.deployed_at || (d.deployed_at === known.first.deployed_at && (d.order ?? 0) < (known.first.order ?? 0));
      if (earlier) firsts.set(key, { sha: commit.sha, first: d, committed_at: commit.committed_at });
    }
  }
  return [...firsts.values()].map(({ sha, first, committed_at }) => ({ sha, first, lead_seconds: (first.deployed_at - committed_at) / 1000 }));
}

/** Per-change lead time of the commits first shipped by the deployments that `shipped` accepts. */
function perChange(all: ReferenceDeployment[], shipped: (d: ReferenceDeployment) => boolean): ChangeLeadTime {
  const changes = referenceChanges(all).filter((change) => shipped(change.first));
  const leads = changes.filter((change) => change.lead_seconds >= 0).map((change) => change.lead_seconds);
  const p50 = percentileCont(leads, 0.5);
  return {
    p50_seconds: p50,
    p95_seconds: percentileCont(leads, 0.95),
    sample: leads.length,
    excluded_negative: changes.length - leads.length,
    deployments_with_changes: new Set(changes.map((change) => change.first)).size,
    band: leadTimeBand(p50),
  };
}

/** The five metrics over the deployments of [from, to), with restores searched before `restoresBefore`. */
export function referenceMetrics(
  all: ReferenceDeployment[],
  scope: ReferenceFilter & { environment: string; from: number; to: number; days: number; restoresBefore: number },
): DoraMetrics {
  const inScope = (d: ReferenceDeployment) => d.environment === scope.environment && inFilter(d, scope) && d.deployed_at >= scope.from && d.deployed_at < scope.to;
  const inWindow = all.filter(inScope);
  const successes = inWindow.filter((d) => d.success);
  const withCommit = successes.filter((d) => d.commit_sha !== null && d.committed_at !== null);
  const leadTimes = withCommit.filter((d) => d.committed_at! <= d.deployed_at).map((d) => (d.deployed_at - d.committed_at!) / 1000);
  const failed = inWindow.filter((d) => !d.success || d.is_rework).length;
  const rework = inWindow.filter((d) => d.is_rework).length;
  const total = inWindow.length;

  const failures = inWindow.filter((d) => !d.success);
  const restoreSeconds: number[] = [];
  const openSince: number[] = [];
  for (const failure of failures) {
    const restored = restoredAt(all, failure, scope.restoresBefore);
    if (restored === undefined) openSince.push(failure.deployed_at);
    else restoreSeconds.push((restored - failure.deployed_at) / 1000);
  }

  const p50 = percentileCont(leadTimes, 0.5);
  const medianRestore = percentileCont(restoreSeconds, 0.5);
  return {
    deployment_frequency: {
      value: scope.days === 0 ? 0 : successes.length / scope.days,
      successes: successes.length,
      band: deploymentFrequencyBand(successes.length, scope.days),
    },
    lead_time: {
      p50_seconds: p50,
      p95_seconds: percentileCont(leadTimes, 0.95),
      sample: leadTimes.length,
      without_commit: successes.length - withCommit.length,
      excluded_negative: withCommit.length - leadTimes.length,
      band: leadTimeBand(p50),
      per_change: perChange(all, inScope),
    },
    change_failure_rate: {
      value: total === 0 ? null : failed / total,
      failed,
      total,
      band: changeFailureRateBand(failed, total),
    },
    time_to_restore: {
      median_seconds: medianRestore,
      restored: restoreSeconds.length,
      open: openSince.length,
      oldest_open_seconds: openSince.length ? (scope.restoresBefore - Math.min(...openSince)) / 1000 : null,
      band: timeToRestoreBand(medianRestore),
    },
    rework_rate: { value: total === 0 ? null : rework / total, rework, total, band: null },
  };
}

export function referenceWindow(days: number, asOf: number): MetricsWindow {
  return { days, from: new Date(asOf - days * DAY_MS).toISOString(), to: new Date(asOf).toISOString() };
}

/** The summary and its previous window: the same question asked at `asOf − days`. */
export function referenceSummary(all: ReferenceDeployment[], query: ReferenceQuery) {
  const at = (asOf: number) => ({
    window: referenceWindow(query.days, asOf),
    ...referenceMetrics(all, { ...query, from: asOf - query.days * DAY_MS, to: asOf, restoresBefore: asOf }),
  });
  return { ...at(query.asOf), previous: at(query.asOf - query.days * DAY_MS) };
}

/** Every repo with deployments in the window, in repo order. */
export function referenceRepos(all: ReferenceDeployment[], query: Omit<ReferenceQuery, 'repo'>): RepoMetrics[] {
  const from = query.asOf - query.days * DAY_MS;
  const repos = new Set(
    all
      .filter((d) => d.environment === query.environment && inFilter(d, { ...query, repo: null }) && d.deployed_at >= from && d.deployed_at < query.asOf)
      .map((d) => d.repo_full_name),
  );
  return [...repos].sort().map((repo) => ({
    repo_full_name: repo,
    ...referenceMetrics(all, { ...query, repo, from, to: query.asOf, restoresBefore: query.asOf }),
  }));
}

/** Every team (in the given order) and unassigned (team null), each over exactly the deployments it owns. */
export function referenceTeams(all: ReferenceDeployment[], query: Omit<ReferenceQuery, 'repo' | 'team'> & { teams: string[] }) {
  const from = query.asOf - query.days * DAY_MS;
  return [...query.teams, null].map((team) => ({
    team,
    ...referenceMetrics(all, { ...query, repo: null, team: team ?? 'unassigned', from, to: query.asOf, restoresBefore: query.asOf }),
  }));
}

/**
 * The points of a series ending with the period that holds `asOf` (`days` of them for days, else
 * `periods`): local days, weeks from Monday or months from the 1st, cut at local midnight in `timeZone`.
 */
export function referenceSeries(
  all: ReferenceDeployment[],
  query: ReferenceQuery & { timeZone: string; interval?: SeriesInterval; periods?: number },
): SeriesPoint[] {
  const interval = query.interval ?? 'day';
  const count = interval === 'day' ? query.days : query.periods!;
  const last = periodStart(localDate(query.asOf, query.timeZone), interval);
  return Array.from({ length: count }, (_, i) => shiftPeriod(last, interval, i - count + 1)).map((date) => {
    const from = localMidnight(date, query.timeZone);
    const end = localMidnight(shiftPeriod(date, interval, 1), query.timeZone);
    const to = Math.min(end, query.asOf);
    // Per local calendar day: wall-clock days, so a week across a DST change is still 7.
    const days = interval === 'day' ? 1 : (wallClock(to, query.timeZone) - wallClock(from, query.timeZone)) / DAY_MS;
    return {
      date,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      partial: to < end,
      ...referenceMetrics(all, { ...query, from, to, days, restoresBefore: query.asOf }),
    };
  });
}

/**
 * The comparison's periods as of `asOf` in `timeZone`, each over its metrics with restores before its
 * own end: month to date against the same elapsed part of last month (day 1 to the same day and time,
 * at most the whole month), last month against the month before, the month before against the one before
 * it, the last 180 days against the 180 before.
 */
export function referenceComparison(all: ReferenceDeployment[], query: Omit<ReferenceQuery, 'days'> & { timeZone: string }) {
  const zone = query.timeZone;
  const month = (n: number) => localMidnight(shiftPeriod(periodStart(localDate(query.asOf, zone), 'month'), 'month', n), zone);
  const [m0, m1, m2, m3] = [month(0), month(-1), month(-2), month(-3)];
  const sameElapsed = Math.min(wallClock(m1, zone) + (wallClock(query.asOf, zone) - wallClock(m0, zone)), wallClock(m0, zone));
  const over = (from: number, to: number, days?: number) => {
    const length = days ?? (wallClock(to, zone) - wallClock(from, zone)) / DAY_MS;
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), days: length, ...referenceMetrics(all, { ...query, from, to, days: length, restoresBefore: to }) };
  };
  return {
    month_to_date: { current: over(m0, query.asOf), baseline: over(m1, localInstant(sameElapsed, zone)) },
    last_month: { current: over(m1, m0), baseline: over(m2, m1) },
    month_before: { current: over(m2, m1), baseline: over(m3, m2) },
    last_180_days: { current: over(query.asOf - 180 * DAY_MS, query.asOf, 180), baseline: over(query.asOf - 360 * DAY_MS, query.asOf - 180 * DAY_MS, 180) },
  };
}

/** The local date that starts the day, week (Monday) or month holding `date`. */
export function periodStart(date: string, interval: SeriesInterval): string {
  if (interval === 'day') return date;
  if (interval === 'month') return `${date.slice(0, 7)}-01`;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // Monday 0
  return addDays(date, -weekday);
}

/** The start of the period `n` periods after (or before) the one starting on `date`. */
export function shiftPeriod(date: string, interval: SeriesInterval, n: number): string {
  if (interval === 'day') return addDays(date, n);
  if (interval === 'week') return addDays(date, 7 * n);
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10);
}

/** The wall-clock time in `timeZone` at an instant, as if it were UTC (milliseconds kept). */
export function wallClock(instant: number, timeZone: string): number {
  return instant + offsetMs(instant, timeZone);
}

/** The calendar date (YYYY-MM-DD) at an instant in a time zone. */
export function localDate(instant: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
  return parts; // en-CA formats as YYYY-MM-DD
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The instant of 00:00 local time on `date` (for zones where midnight exists every day). */
export function localMidnight(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return localInstant(Date.UTC(y, m - 1, d), timeZone);
}

/** The instant a wall-clock time (given as if it were UTC) has in `timeZone`. */
export function localInstant(wall: number, timeZone: string): number {
  let instant = wall - offsetMs(wall, timeZone);
  instant = wall - offsetMs(instant, timeZone); // once more, in case the offset changed in between
  return instant;
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetMs(instant: number, timeZone: string): number {
  const fields = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(instant)
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  const wall = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}
