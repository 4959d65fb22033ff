import { RULE_PATTERN, type TeamRule, TeamRuleSet } from '@dora/domain';
import { ApiError } from '../../../lib/api-client';

/** A rule as the editor holds it: an empty service means none (every deployment of the repos). */
export interface RuleDraft {
  /** Stays with the rule when it moves, so that React keeps its inputs. */
  key: string;
  team: string;
  repo: string;
  service: string;
}

let created = 0;

export function newDraft(team = ''): RuleDraft {
  created += 1;
  return { key: `new-${created}`, team, repo: '', service: '' };
}

export function draftsOf(rules: readonly TeamRule[]): RuleDraft[] {
  return rules.map((rule, i) => ({ key: `saved-${i}`, team: rule.team, repo: rule.repo, service: rule.service ?? '' }));
}

export function rulesOf(drafts: readonly RuleDraft[]): TeamRule[] {
  return drafts.map((draft) => ({ team: draft.team, repo: draft.repo.trim(), service: draft.service.trim() || null }));
}

const PATTERN_HINT = 'letters, digits, "-", "_", ".", "/" and "*" (any run of them)';
/** The API's limit on a service (repos may have the pattern's 256). */
const MAX_SERVICE_LENGTH = 128;

/** What must be fixed before the rule can be previewed or saved; empty when nothing. */
export function ruleProblems(draft: RuleDraft): string[] {
  const problems: string[] = [];
  const repo = draft.repo.trim();
  const service = draft.service.trim();
  if (draft.team === '') problems.push('Choose a team.');
  if (repo === '') problems.push('Give a repository pattern, e.g. acme/payments-*.');
  else if (!RULE_PATTERN.test(repo)) problems.push(`The repository pattern may hold only ${PATTERN_HINT}.`);
  if (service !== '' && (!RULE_PATTERN.test(service) || service.length > MAX_SERVICE_LENGTH)) {
    problems.push(`The service pattern may hold only ${PATTERN_HINT}, at most ${MAX_SERVICE_LENGTH} of them.`);
  }
  return problems;
}

/** For each rule, the earlier rule (its index) that takes every deployment it would match, or null. */
export function shadowing(rules: readonly TeamRule[]): (number | null)[] {
  return new TeamRuleSet(rules).shadowedBy();
}

/** The list with the item at `index` moved one place up (-1) or down (1); unchanged at either end. */
export function moved<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (target < 0 || target >= list.length) return [...list];
  const next = [...list];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

/** The API's refusals of single rules (`rules.3.team`), by the rule's index. */
export function problemsByRule(error: Error | null): Map<number, string[]> {
  const byRule = new Map<number, string[]>();
  if (!(error instanceof ApiError)) return byRule;
  for (const detail of error.details) {
    const match = /^rules\.(\d+)\.(\w+)$/.exec(detail.field);
    if (!match) continue;
    const index = Number(match[1]);
    byRule.set(index, [...(byRule.get(index) ?? []), `${match[2]}: ${detail.message}`]);
  }
  return byRule;
}
