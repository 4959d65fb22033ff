import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api-client';
import { draftsOf, moved, problemsByRule, type RuleDraft, ruleProblems, rulesOf, shadowing } from './rule-drafts';
import { slugFromName } from './team-slug';
import { teamLabel } from './team-label';

const draft = (shown: Partial<RuleDraft>): RuleDraft => ({ key: 'k', team: 'web', repo: 'acme/web', service: '', ...shown });

describe('rule drafts', () => {
  it('become the API’s rules: patterns trimmed, an empty service none', () => {
    expect(rulesOf([draft({ repo: ' acme/* ', service: '' }), draft({ team: 'shop', repo: 'acme/mono', service: ' checkout ' })])).toEqual([
      { team: 'web', repo: 'acme/*', service: null },
      { team: 'shop', repo: 'acme/mono', service: 'checkout' },
    ]);
    expect(draftsOf([{ team: 'web', repo: 'acme/*', service: null }]).map(({ team, repo, service }) => ({ team, repo, service }))).toEqual([
      { team: 'web', repo: 'acme/*', service: '' },
    ]);
  });

  it('say what to fix before a rule can be previewed or saved', () => {
    expect(ruleProblems(draft({}))).toEqual([]);
    expect(ruleProblems(draft({ service: 'api-*' }))).toEqual([]);
    expect(ruleProblems(draft({ team: '', repo: '' }))).toEqual(['Choose a team.', 'Give a repository pattern, e.g. acme/payments-*.']);
    expect(ruleProblems(draft({ repo: 'acme/web app' }))).toEqual(['The repository pattern may hold only letters, digits, "-", "_", ".", "/" and "*" (any run of them).']);
    expect(ruleProblems(draft({ repo: 'acme/?' }))).toHaveLength(1); // only `*`: shadowing stays decidable
    expect(ruleProblems(draft({ service: 's'.repeat(129) }))).toEqual(['The service pattern may hold only letters, digits, "-", "_", ".", "/" and "*" (any run of them), at most 128 of them.']);
  });

  it('move one place up or down, and stay put at either end', () => {
    expect(moved(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moved(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('know which rule an earlier one makes dead', () => {
    expect(
      shadowing([
        { team: 'web', repo: 'acme/*', service: null },
        { team: 'shop', repo: 'acme/shop', service: null },
        { team: 'shop', repo: 'other/mono', service: 'checkout' },
        { team: 'web', repo: 'other/*', service: 'check*' },
      ]),
    ).toEqual([null, 0, null, null]);
    // A service pattern takes only deployments that name a service: a whole-repo rule after it still matches.
    expect(
      shadowing([
        { team: 'shop', repo: 'acme/mono', service: '*' },
        { team: 'web', repo: 'acme/mono', service: null },
      ]),
    ).toEqual([null, null]);
  });

  it('find the API’s refusal of a single rule', () => {
    const error = new ApiError(400, 'validation_failed', 'rules.1.team: no team "gone" in this org', [
      { field: 'rules.1.team', message: 'no team "gone" in this org' },
      { field: 'name', message: 'ignored' },
    ]);
    expect([...problemsByRule(error)]).toEqual([[1, ['team: no team "gone" in this org']]]);
    expect(problemsByRule(new Error('offline')).size).toBe(0);
    expect(problemsByRule(null).size).toBe(0);
  });
});

describe('team names', () => {
  it('offer a slug, never a refused one', () => {
    expect(slugFromName('Payments & Billing')).toBe('payments-billing');
    expect(slugFromName('  Équipe Plateforme ')).toBe('equipe-plateforme');
    expect(slugFromName('Unassigned')).toBe(''); // reserved
    expect(slugFromName('---')).toBe('');
    expect(slugFromName('x'.repeat(70))).toHaveLength(63);
  });

  it('read a team filter or attribution as its name, and none as Unassigned', () => {
    const teams = [{ slug: 'web', name: 'Web team' }];
    expect(teamLabel('web', teams)).toBe('Web team');
    expect(teamLabel('gone', teams)).toBe('gone');
    expect(teamLabel(null, teams)).toBe('Unassigned');
    expect(teamLabel('unassigned', teams)).toBe('Unassigned');
  });
});
