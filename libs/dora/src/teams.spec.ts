import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { covers, TeamRuleSet, teamSlugProblem } from './teams.js';

describe('TeamRuleSet', () => {
  const rules = new TeamRuleSet([
    { team: 'payments', repo: 'acme/mono', service: 'checkout*' },
    { team: 'search', repo: 'acme/*', service: 'search' },
    { team: 'platform', repo: 'acme/mono', service: null },
    { team: 'web', repo: 'acme/web-*', service: null },
  ]);

  it.each([
    ['acme/mono', 'checkout', 'payments', 0],
    ['acme/mono', 'checkout-api', 'payments', 0],
    ['acme/mono', 'search', 'search', 1],
    ['acme/other', 'search', 'search', 1],
    ['acme/mono', null, 'platform', 2], // a service pattern never matches a whole-repo deployment
    ['acme/mono', 'cart', 'platform', 2],
    ['acme/web-shop', 'anything', 'web', 3],
    ['acme/web', null, null, null],
    ['beta/mono', 'checkout', null, null],
  ])('%s %s → %s (rule %s)', (repo, service, team, rule) => {
    expect(rules.teamOf(repo, service)).toBe(team);
    expect(rules.ruleFor(repo, service)).toBe(rule);
  });

  it('names the earlier rule that takes everything a later one would match', () => {
    const set = new TeamRuleSet([
      { team: 'a', repo: 'acme/*', service: null },
      { team: 'b', repo: 'acme/web', service: 'x' }, // all of it is acme/*
      { team: 'c', repo: 'beta/*', service: 'c*' },
      { team: 'd', repo: 'beta/web', service: 'cart*' }, // beta/web ⊆ beta/*, cart* ⊆ c*
      { team: 'e', repo: 'beta/web', service: null }, // c* does not take whole-repo deployments nor other services
      { team: 'f', repo: '*', service: 'c*' },
    ]);
    expect(set.shadowedBy()).toEqual([null, 0, null, 2, null, null]);
  });
});

describe('covers', () => {
  it.each([
    ['*', 'acme/web', true],
    ['acme/*', 'acme/web-*', true],
    ['acme/web-*', 'acme/*', false],
    ['a*b*', 'a*b', true],
    ['*a*', '*', false],
    ['ab*', 'a*b', false],
    ['acme/web', 'acme/web', true],
  ])('%s covers %s: %s', (outer, inner, expected) => {
    expect(covers(outer, inner)).toBe(expected);
  });

  it('agrees with the values: whenever it says an outer pattern covers an inner one, every value the inner matches the outer matches', () => {
    const pattern = fc.array(fc.constantFrom('a', 'b', '*'), { minLength: 1, maxLength: 5 }).map((parts) => parts.join(''));
    const value = fc.array(fc.constantFrom('a', 'b'), { maxLength: 6 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(pattern, pattern, fc.array(value, { minLength: 20, maxLength: 20 }), (outer, inner, values) => {
        const set = (p: string) => new TeamRuleSet([{ team: 't', repo: p, service: null }]);
        const matchedByInner = values.filter((v) => set(inner).teamOf(v, null) !== null);
        if (covers(outer, inner)) for (const v of matchedByInner) expect(set(outer).teamOf(v, null)).toBe('t');
        // And when it says no, some value of the inner pattern escapes the outer one: the inner with its stars as a fresh letter.
        else expect(set(outer).teamOf(inner.replaceAll('*', 'z'), null)).toBeNull();
      }),
    );
  });
});

describe('teamSlugProblem', () => {
  it.each([
    ['payments', null],
    ['team-1', null],
    ['rules', /reserved/],
    ['preview', /reserved/],
    ['unassigned', /reserved/],
    ['-x', /lowercase/],
    ['Payments', /lowercase/],
    ['a'.repeat(64), /lowercase/],
  ])('%s → %s', (slug, problem) => {
    const found = teamSlugProblem(slug);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });
});
