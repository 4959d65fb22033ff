import { describe, expect, it } from '@jest/globals';
import { TeamRuleSet } from '@dora/domain';
import { demoHistory, demoTeams } from './demo-history.js';

const now = Date.parse('2026-11-26T10:00:00Z');

describe('demoHistory', () => {
  const history = demoHistory('acme', { days: 90, now });

  it('spans the window, in time order, before now', () => {
    const times = history.map((d) => Date.parse(d.deployed_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(now - 90 * 86_400_000);
    expect(Math.max(...times)).toBeLessThan(now);
    expect(history.length).toBeGreaterThan(200);
  });

  it('has several repos and environments, failures with fixes after them, rework, and missing commits', () => {
    expect(new Set(history.map((d) => d.repo_full_name)).size).toBe(6);
    expect(new Set(history.map((d) => d.environment))).toEqual(new Set(['production', 'staging']));
    const failures = history.filter((d) => d.success === false);
    expect(failures.length).toBeGreaterThan(5);
    for (const failure of failures) {
      const fixed = history.some(
        (d) => d.repo_full_name === failure.repo_full_name && d.service === failure.service && d.environment === 'production' && d.success !== false && d.deployed_at > failure.deployed_at,
      );
      expect(fixed || Date.parse(failure.deployed_at) > now - 86_400_000).toBe(true);
    }
    expect(history.some((d) => d.is_rework)).toBe(true);
    expect(history.some((d) => d.commit_sha === undefined)).toBe(true);
    const leads = history.filter((d) => d.committed_at).map((d) => Date.parse(d.deployed_at) - Date.parse(d.committed_at!));
    expect(Math.min(...leads)).toBeGreaterThan(0);
    expect(Math.max(...leads) / Math.min(...leads)).toBeGreaterThan(20); // varied
  });

  it('ships change sets: the head commit among them, staging and production the same change, a fix the failed change again', () => {
    const withCommits = history.filter((d) => d.commits);
    expect(withCommits.every((d) => d.commits!.some((c) => c.sha === d.commit_sha))).toBe(true);
    const sizes = withCommits.map((d) => d.commits!.length);
    expect(Math.max(...sizes)).toBeGreaterThan(3);
    expect(sizes.reduce((a, b) => a + b, 0) / sizes.length).toBeGreaterThan(2);
    const shipped = (d: (typeof history)[number]) => new Set(d.commits?.map((c) => c.sha));
    const staged = withCommits.find((d) => d.environment === 'staging')!;
    expect(withCommits.some((d) => d.environment === 'production' && d.commit_sha === staged.commit_sha)).toBe(true);
    const failures = withCommits.filter((d) => d.success === false);
    const shippedAgain = failures.filter((failure) =>
      withCommits.some(
        (fix) =>
          fix.environment === 'production' &&
          fix.success !== false &&
          fix.deployed_at > failure.deployed_at &&
          shipped(fix).size === shipped(failure).size + 1 &&
          [...shipped(failure)].every((sha) => shipped(fix).has(sha)),
      ),
    );
    expect(failures.length).toBeGreaterThan(5);
    expect(shippedAgain.length).toBeGreaterThan(failures.length * 0.8); // a fix after now is not in the history
  });

  it('is the same for the same seed, with unique external refs', () => {
    expect(demoHistory('acme', { days: 90, now })).toEqual(history);
    expect(new Set(history.map((d) => d.external_ref)).size).toBe(history.length);
  });

  it('has a monorepo whose services three teams own, and a repo of no team', () => {
    const services = new Set(history.filter((d) => d.repo_full_name === 'acme/shop').map((d) => d.service));
    expect(services).toEqual(new Set(['checkout', 'cart', 'search']));
    const { teams, rules } = demoTeams('acme');
    const ruleSet = new TeamRuleSet(rules);
    const owners = new Set(history.map((d) => ruleSet.teamOf(d.repo_full_name, d.service ?? null)));
    expect(owners).toEqual(new Set([...teams.map((team) => team.slug), null]));
    expect(ruleSet.teamOf('acme/shop', 'search')).toBe('search');
    expect(ruleSet.teamOf('acme/shop', 'cart')).toBe('storefront');
  });
});
