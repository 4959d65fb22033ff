import type { Band } from './bands.js';
import type { DeploymentSource } from './deployments.js';

/** The metric queries' inputs other than the org (DESIGN §4). */
export const WINDOW_DAYS = [7, 30, 90] as const;
/** @asType integer */
export type WindowDays = (typeof WINDOW_DAYS)[number];

export interface MetricsWindow {
  /** @asType integer */
  days: number;
  /**
   * RFC 3339 UTC, inclusive.
   * @format date-time
   */
  from: string;
  /**
   * RFC 3339 UTC, exclusive: the `as_of`.
   * @format date-time
   */
  to: string;
}

export interface DeploymentFrequency {
  /** Successful deployments a day over the window (in a series point: that day's count). */
  value: number;
  /** @asType integer */
  successes: number;
  band: Band;
}

export interface LeadTime {
  p50_seconds: number | null;
  p95_seconds: number | null;
  /**
   * Successful deployments with a commit time not after the deployment.
   * @asType integer
   */
  sample: number;
  /**
   * Successful deployments without commit_sha or committed_at.
   * @asType integer
   */
  without_commit: number;
  /**
   * Successful deployments whose commit is later than the deployment.
   * @asType integer
   */
  excluded_negative: number;
  band: Band | null;
  /** Lead time over every commit the deployments shipped, each counted once: at its first successful deployment (DESIGN §4). */
  per_change: ChangeLeadTime;
}

/** Per-change lead time: `deployed_at − committed_at` of each commit at the first successful deployment of its repo, service and environment that shipped it. */
export interface ChangeLeadTime {
  p50_seconds: number | null;
  p95_seconds: number | null;
  /**
   * Commits first shipped in the window, with a commit time not after that deployment.
   * @asType integer
   */
  sample: number;
  /**
   * Commits first shipped in the window whose commit time is later than that deployment.
   * @asType integer
   */
  excluded_negative: number;
  /**
   * Successful deployments in the window that first shipped at least one commit.
   * @asType integer
   */
  deployments_with_changes: number;
  band: Band | null;
}

export interface ChangeFailureRate {
  /** failed / total, a fraction in [0, 1]. */
  value: number | null;
  /**
   * Deployments that failed or were rework.
   * @asType integer
   */
  failed: number;
  /** @asType integer */
  total: number;
  band: Band | null;
}

export interface TimeToRestore {
  median_seconds: number | null;
  /**
   * Failures followed by a success on the same repo and environment before `as_of`.
   * @asType integer
   */
  restored: number;
  /**
   * Failures with no such success yet.
   * @asType integer
   */
  open: number;
  oldest_open_seconds: number | null;
  band: Band | null;
}

export interface ReworkRate {
  value: number | null;
  /** @asType integer */
  rework: number;
  /** @asType integer */
  total: number;
  band: null;
}

export interface DoraMetrics {
  deployment_frequency: DeploymentFrequency;
  lead_time: LeadTime;
  change_failure_rate: ChangeFailureRate;
  time_to_restore: TimeToRestore;
  rework_rate: ReworkRate;
}

export interface DoraSummary extends DoraMetrics {
  org: string;
  environment: string;
  repo: string | null;
  /** The team filter: a team's slug, "unassigned", or null for every deployment. */
  team: string | null;
  /** The service filter, or null. */
  service: string | null;
  /**
   * The band thresholds used: `dora-2023` (DESIGN §4).
   * @const "dora-2023"
   */
  band_set: string;
  window: MetricsWindow;
  /** What the same question answered at `as_of − window`. */
  previous: DoraMetrics & { window: MetricsWindow };
}

/** A series' periods (DESIGN §4): local days, weeks from Monday 00:00, months from the 1st, in the org's time zone. */
export const SERIES_INTERVALS = ['day', 'week', 'month'] as const;
export type SeriesInterval = (typeof SERIES_INTERVALS)[number];

/**
 * One period of a series: the definitions over [its local start, the next one), truncated at `as_of`,
 * restores counted before `as_of`. A day's frequency is its count of successes; a week's or month's is
 * per local calendar day (of the time elapsed, for the period that holds `as_of`).
 */
export interface SeriesPoint extends DoraMetrics {
  /**
   * The local date the period starts, YYYY-MM-DD.
   * @format date
   */
  date: string;
  /** @format date-time */
  from: string;
  /** @format date-time */
  to: string;
  /** The period holds `as_of`: it is not over yet. */
  partial: boolean;
}

export interface DoraSeries {
  org: string;
  environment: string;
  repo: string | null;
  /** The team filter: a team's slug, "unassigned", or null for every deployment. */
  team: string | null;
  /** The service filter, or null. */
  service: string | null;
  interval: SeriesInterval;
  timezone: string;
  points: SeriesPoint[];
}

/** The periods `…/dora/comparison` compares, each with its own baseline (DESIGN §4). */
export const COMPARISON_PERIODS = ['month_to_date', 'last_month', 'month_before', 'last_180_days'] as const;
export type ComparisonPeriod = (typeof COMPARISON_PERIODS)[number];

/** The figures a comparison compares: the five metrics' headline values, and lead time per change. */
export const COMPARED_FIGURES = ['deployment_frequency', 'lead_time', 'lead_time_per_change', 'change_failure_rate', 'time_to_restore', 'rework_rate'] as const;
export type ComparedFigure = (typeof COMPARED_FIGURES)[number];

/** A span of time and the metrics over it, restores counted before its end. */
export interface MetricsOverPeriod extends DoraMetrics {
  /** @format date-time */
  from: string;
  /** @format date-time */
  to: string;
  /** Its length in local calendar days (fractional for a part of a month): what the frequency is per. */
  days: number;
}

export interface FigureChange {
  /** current − baseline, in the figure's unit (deploys a day, seconds, a fraction); null when either is null. */
  absolute: number | null;
  /** (current − baseline) / baseline; null when the baseline is 0 or null. */
  relative: number | null;
}

export interface ComparedPeriod {
  period: ComparisonPeriod;
  current: MetricsOverPeriod;
  baseline: MetricsOverPeriod;
  change: Record<ComparedFigure, FigureChange>;
}

/** `GET /api/v1/orgs/{slug}/dora/comparison`. */
export interface DoraComparison {
  org: string;
  environment: string;
  repo: string | null;
  team: string | null;
  service: string | null;
  timezone: string;
  /** @format date-time */
  as_of: string;
  periods: ComparedPeriod[];
}

/** The metrics with bands that performers counts (rework rate has none). */
export const BANDED_METRICS = ['deployment_frequency', 'lead_time', 'change_failure_rate', 'time_to_restore'] as const;
export type BandedMetric = (typeof BANDED_METRICS)[number];

/** How many repos (or teams) were in each band, and how many had too little data for one. */
export interface BandCounts {
  /** @asType integer */
  elite: number;
  /** @asType integer */
  high: number;
  /** @asType integer */
  medium: number;
  /** @asType integer */
  low: number;
  /** @asType integer */
  no_data: number;
}

export interface PerformersMonth {
  /** The local month, YYYY-MM. */
  month: string;
  /** @format date-time */
  from: string;
  /** @format date-time */
  to: string;
  partial: boolean;
  /**
   * Repos (or teams) with a deployment in the month: the ones counted.
   * @asType integer
   */
  counted: number;
  metrics: Record<BandedMetric, BandCounts>;
}

/** `GET /api/v1/orgs/{slug}/dora/performers`. */
export interface DoraPerformers {
  org: string;
  environment: string;
  repo: string | null;
  team: string | null;
  service: string | null;
  timezone: string;
  by: 'repo' | 'team';
  /** Which lead time was banded: per deployment or per change (default: the org's setting). */
  basis: LeadTimeBasis;
  months: PerformersMonth[];
}

export interface RepoMetrics extends DoraMetrics {
  repo_full_name: string;
}

/** Sort keys of the per-repo breakdown; `-` in front sorts descending. */
export const REPO_SORT_KEYS = [
  'repo_full_name',
  'deployments',
  'deployment_frequency',
  'lead_time',
  'change_failure_rate',
  'time_to_restore',
  'rework_rate',
] as const;
export type RepoSortKey = (typeof REPO_SORT_KEYS)[number];

export interface Page<Item> {
  items: Item[];
  /** Pass as `cursor` for the next page; `null` on the last one. */
  next_cursor: string | null;
}

/** `GET /api/v1/orgs/{slug}/dora/repos`: the per-repo breakdown, a page at a time. */
export type RepoPage = Page<RepoMetrics>;

export interface DeploymentItem {
  /** @format uuid */
  id: string;
  repo_full_name: string;
  environment: string;
  /** @format date-time */
  deployed_at: string;
  commit_sha: string | null;
  /** @format date-time */
  committed_at: string | null;
  success: boolean;
  is_rework: boolean;
  external_ref: string | null;
  /** The part of a monorepo deployed, or null: the whole repo. */
  service: string | null;
  /** The slug of the team it is attributed to (by its ingest, or else by the org's rules), or null. */
  team: string | null;
  source: DeploymentSource;
  /** Who reported it: the API token (by name), the webhook delivery, or the operator's import (`deployments:import`, no id). */
  ingested_by: { type: 'token' | 'webhook' | 'operator'; id: string | null; name: string | null };
  /** @format date-time */
  created_at: string;
}

/** `GET /api/v1/orgs/{slug}/dora/deployments`: newest first, a page at a time. */
export type DeploymentPage = Page<DeploymentItem>;

export interface AuditEventItem {
  /** @format uuid */
  id: string;
  /** @format date-time */
  occurred_at: string;
  action: string;
  actor: { type: 'token' | 'user' | 'webhook' | 'system'; id: string | null };
  subject: { type: string | null; id: string | null };
  request_id: string | null;
  ip: string | null;
  metadata: Record<string, unknown>;
}

/** `GET /api/v1/orgs/{slug}/audit`: the audit log, newest first, a page at a time. */
export type AuditPage = Page<AuditEventItem>;

export interface DeploymentDetail extends DeploymentItem {
  audit_events: AuditEventItem[];
  /** The change set it shipped, oldest commit first. */
  commits: ShippedCommit[];
  /** Forgejo's change set had more than 1,000 commits: `commits` holds the head commit and the 999 newest others. */
  change_set_truncated: boolean;
}

/** One commit of a deployment's change set. */
export interface ShippedCommit {
  sha: string;
  /** @format date-time */
  committed_at: string;
  /** This deployment's `deployed_at − committed_at`. */
  lead_time_seconds: number;
  /**
   * Where the per-change lead time counts it: at the successful deployment of the same repo, service and
   * environment that first shipped it — `here`, an `earlier` one, a `later` one (this deployment failed),
   * or `not_yet` (none has).
   */
  first_shipped: 'here' | 'earlier' | 'later' | 'not_yet';
}

export interface EnvironmentCount {
  environment: string;
  /** @asType integer */
  deployments: number;
  /** @format date-time */
  last_deployed_at: string;
}

/** `GET /api/v1/orgs/{slug}/dora/environments`: the environments seen, with counts. */
export interface EnvironmentList {
  items: EnvironmentCount[];
}

/** Which lead time a view shows when it shows one (DESIGN §4): per deployment (the default) or per change. */
export const LEAD_TIME_BASES = ['deployment', 'change'] as const;
export type LeadTimeBasis = (typeof LEAD_TIME_BASES)[number];

export interface DoraSettings {
  window_days: WindowDays;
  timezone: string;
  /** The lead time the dashboard's card shows as its headline (the other is its second line). */
  lead_time_basis: LeadTimeBasis;
  /**
   * The longest an API token of the org may live; `null`: no limit.
   * @asType integer
   * @nullable
   */
  max_token_lifetime_days: number | null;
}
