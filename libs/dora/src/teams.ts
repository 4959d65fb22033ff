import { Glob } from './glob.js';
import type { DoraMetrics, Page } from './metrics.js';

/** Words of the teams' URLs (`…/teams/rules`, `…/teams/rules/preview`, `team=unassigned`): never a team's slug. */
export const RESERVED_TEAM_SLUGS = ['rules', 'preview', 'unassigned'] as const;

/** A team's slug: 1-63 lowercase letters, digits and "-", starting with a letter or digit. */
export const TEAM_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Why a team slug is refused, or null when it is fine. */
export function teamSlugProblem(slug: string): string | null {
  if (!TEAM_SLUG_PATTERN.test(slug)) return 'must be 1-63 lowercase letters, digits and "-", starting with a letter or digit';
  if ((RESERVED_TEAM_SLUGS as readonly string[]).includes(slug)) return `is reserved (${RESERVED_TEAM_SLUGS.join(', ')})`;
  return null;
}

/** How many rules an org may have: far more than 20 teams with 10 rules each, small enough to show. */
export const MAX_TEAM_RULES = 500;

/**
 * A rule's patterns: the characters of repo names and services, and `*` for any run of them. Only `*`
 * (no `?`), so that whether an earlier rule takes everything a later one would is decidable exactly.
 */
export const RULE_PATTERN = /^[A-Za-z0-9._/*-]{1,256}$/;

/** One rule of an org's ordered list: the team that owns the deployments it matches. */
export interface TeamRule {
  /** The team's slug. */
  team: string;
  /** A glob over `owner/name`, e.g. `acme/payments-*`. */
  repo: string;
  /** A glob over the service, or null: then the rule matches every deployment of the repos, with a service or without. */
  service: string | null;
}

/** Body of `PUT …/teams/rules` and `POST …/teams/rules/preview`: the whole ordered list. */
export interface TeamRulesInput {
  rules: TeamRule[];
}

/** A rule as the API answers it, with what it attributes. */
export interface TeamRuleItem extends TeamRule {
  /** @asType integer */
  position: number;
  /**
   * Deployments of the last 90 days (every environment) this rule attributes: the first rule that matches a
   * deployment owns it; deployments whose ingest named a team are not the rules'.
   * @asType integer
   */
  deployments_90d: number;
  /**
   * The position of an earlier rule that already takes everything this one would match: this rule never
   * matches anything. Null when it can.
   * @asType integer
   */
  shadowed_by: number | null;
}

export interface TeamRuleList {
  items: TeamRuleItem[];
}

/** A team of an org. */
export interface Team {
  slug: string;
  name: string;
  /** @asType integer */
  rules: number;
  /** @format date-time */
  created_at: string;
  /** @format date-time */
  updated_at: string;
}

export interface TeamList {
  items: Team[];
}

/** A repo, or one service of a monorepo (service null: deployments of the whole repo). */
export interface DeploymentTarget {
  repo_full_name: string;
  service: string | null;
  /** @asType integer */
  deployments_90d: number;
}

/** What a proposed rule list would attribute to one team (team null: to no team). */
export interface TeamAttribution {
  team: string | null;
  /** @asType integer */
  deployments_90d: number;
  /** @asType integer */
  targets_total: number;
  /** The busiest repos and services it would own, at most 20. */
  targets: DeploymentTarget[];
}

/** Answer of `POST …/teams/rules/preview`: the attribution a proposed rule list gives, nothing saved. */
export interface TeamRulesPreview {
  rules: TeamRuleItem[];
  /** Every team of the org and unassigned (team null), busiest first. */
  teams: TeamAttribution[];
}

/** One row of `GET …/dora/teams`: a team's metrics over exactly the deployments attributed to it. */
export interface TeamMetrics extends DoraMetrics {
  /** The team's slug, or null for the deployments of no team ("unassigned"). */
  team: string | null;
  name: string | null;
}

export interface TeamMetricsList {
  items: TeamMetrics[];
}

export const TEAM_SORT_KEYS = ['team', 'deployments', 'deployment_frequency', 'lead_time', 'change_failure_rate', 'time_to_restore', 'rework_rate'] as const;
export type TeamSortKey = (typeof TEAM_SORT_KEYS)[number];

/** One row of `GET …/dora/services`: one (repo, service), service null for whole-repo deployments. */
export interface ServiceMetrics extends DoraMetrics {
  repo_full_name: string;
  service: string | null;
  /** The team the rules give it (a deployment's ingest may still name another). */
  team: string | null;
}

export type ServicePage = Page<ServiceMetrics>;

/**
 * An org's ordered rules, compiled: which team owns a (repo, service), and which rules can never match.
 * The API attributes with it, the reference metrics check against it, and the dashboard previews with it.
 */
export class TeamRuleSet {
  private readonly compiled: { team: string; repo: Glob; service: Glob | null }[];

  constructor(readonly rules: readonly TeamRule[]) {
    this.compiled = rules.map((rule) => ({ team: rule.team, repo: new Glob(rule.repo), service: rule.service === null ? null : new Glob(rule.service) }));
  }

  /** The first rule matching the deployment, or null: a service pattern matches only deployments that name a service. */
  ruleFor(repo: string, service: string | null): number | null {
    const index = this.compiled.findIndex((rule) => rule.repo.matches(repo) && (rule.service === null || (service !== null && rule.service.matches(service))));
    return index < 0 ? null : index;
  }

  teamOf(repo: string, service: string | null): string | null {
    const rule = this.ruleFor(repo, service);
    return rule === null ? null : this.compiled[rule]!.team;
  }

  /** For each rule, the first earlier rule that takes everything it would match, or null. */
  shadowedBy(): (number | null)[] {
    return this.rules.map((rule, i) => {
      const earlier = this.rules.slice(0, i).findIndex((before) => covers(before.repo, rule.repo) && (before.service === null || (rule.service !== null && covers(before.service, rule.service))));
      return earlier < 0 ? null : earlier;
    });
  }
}

/**
 * Whether every value `inner` matches, `outer` matches too (both `*`-only globs): exactly when `outer`
 * matches `inner` with its stars written as a character no value has — a literal of `outer` cannot
 * match that character, so only `outer`'s stars can take what `inner`'s stars stand for.
 */
export function covers(outer: string, inner: string): boolean {
  return new Glob(outer).matches(inner.replaceAll('*', '\u0000'));
}
