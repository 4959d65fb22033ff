import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TeamRule } from '@dora/domain';
import { type ReferenceDeployment, referenceRepos, referenceSeries, referenceSummary, referenceTeams } from '@dora/domain/reference';
import fc from 'fast-check';
import { insertDeployments } from './support/deployments.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Random deployment histories into real PostgreSQL: the API's SQL must give exactly what the reference
 * implementation gives (durations to the millisecond, counts and rates exactly). On a failure fast-check
 * prints the seed and path; FC_SEED=<seed> replays it.
 */
const AS_OF = Date.parse('2026-11-26T10:00:00.000Z');
const D = 86_400_000;
const REPOS = ['acme/web', 'acme/api', 'beta/app', 'acme/mono'];
const SERVICES = ['checkout', 'cart', 'search'];
const TEAMS = ['pay', 'shop', 'ops'];
const HEAD = '0123abcd';
const SHAS = ['aaaaaaa1', 'bbbbbbb2', 'ccccccc3', 'ddddddd4', 'eeeeeee5'];
const ENVIRONMENTS = ['production', 'staging'];
const TIME_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Adelaide'];
const runs = (numRuns: number) => ({ numRuns, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) });

/** Instants that favour the edges: window starts and ends, and a coarse grid so that ties happen. */
const instant = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 24 }).map((slot) => AS_OF - slot * 6 * 3_600_000) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 200 }).map((slot) => AS_OF - slot * 3 * 3_600_000) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 190 * 24 * 60 }).map((minutes) => AS_OF - minutes * 60_000) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(7, 30, 90, 14, 60, 180)
      .chain((days) => fc.constantFrom(AS_OF - days * D, AS_OF - days * D - 1, AS_OF - days * D + 1, AS_OF, AS_OF - 1)),
  },
);

const deploymentArbitrary: fc.Arbitrary<ReferenceDeployment> = fc
  .record({
    repo_full_name: fc.constantFrom(...REPOS),
    environment: fc.constantFrom(...ENVIRONMENTS),
    deployed_at: instant,
    commit: fc.option(
      fc.record({
        sha: fc.option(fc.constant(HEAD), { freq: 6 }),
        // Mostly before the deploy (lead times from seconds to weeks), sometimes after it.
        leadMs: fc.oneof(fc.integer({ min: 0, max: 40 * D }), fc.integer({ min: -3 * D, max: -1 })),
        hasTime: fc.boolean(),
      }),
      { freq: 4 },
    ),
    success: fc.boolean(),
    failure: fc.integer({ min: 0, max: 3 }),
    is_rework: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
    service: fc.option(fc.constantFrom(...SERVICES), { freq: 2 }),
    // About one in six names its team on ingest; the rules decide the others.
    team: fc.integer({ min: 0, max: 5 }).chain((n) => (n === 0 ? fc.constantFrom(...TEAMS) : fc.constant(null))),
    // Change sets over a few shared commits, so that commits ship again, later and earlier.
    commits: fc.option(
      fc.uniqueArray(fc.record({ sha: fc.constantFrom(...SHAS), leadMs: fc.oneof(fc.integer({ min: 0, max: 20 * D }), fc.integer({ min: -D, max: -1 })) }), {
        selector: (commit) => commit.sha,
        maxLength: 4,
      }),
      { freq: 2 },
    ),
  })
  .map((r) => ({
    repo_full_name: r.repo_full_name,
    environment: r.environment,
    // Services mostly in the monorepo, now and then elsewhere.
    service: r.repo_full_name === 'acme/mono' || r.failure === 0 ? r.service : null,
    team: r.team,
    deployed_at: r.deployed_at,
    commit_sha: r.commit?.sha ?? null,
    committed_at: r.commit?.hasTime ? r.deployed_at - r.commit.leadMs : null,
    success: r.success || r.failure > 0, // about one in eight fails, in streaks now and then
    is_rework: r.is_rework,
    ...(r.commits ? { commits: changeSet(r.commits, r.deployed_at, r.commit?.sha ? (r.commit.hasTime ? r.deployed_at - r.commit.leadMs : r.deployed_at) : null) } : {}),
  }));

/** A listed change set, holding the head commit (at its own time) when the deployment names one. */
function changeSet(commits: { sha: string; leadMs: number }[], deployedAt: number, headCommittedAt: number | null) {
  const listed = commits.map((commit) => ({ sha: commit.sha, committed_at: deployedAt - commit.leadMs }));
  return headCommittedAt === null ? listed : [{ sha: HEAD, committed_at: headCommittedAt }, ...listed];
}

/** An ordered rule list over the repos and services above: overlapping, shadowed and never-matching rules alike. */
const rulesArbitrary: fc.Arbitrary<TeamRule[]> = fc.array(
  fc.record({
    team: fc.constantFrom(...TEAMS),
    repo: fc.constantFrom('acme/*', 'acme/mono', 'beta/*', '*', 'acme/w*', '*/a*', 'nobody/*'),
    service: fc.constantFrom(null, null, 'c*', 'checkout', '*', 'search'),
  }),
  { minLength: 1, maxLength: 6 },
);

/**
 * A history, inserted in a random order (backfills arrive after what they precede); `order` is that
 * order, which breaks ties between deployments of the same instant as the service's ids do.
 */
const history = fc.array(fc.tuple(deploymentArbitrary, fc.integer()), { maxLength: 45 }).map((pairs) => {
  const insertionOrder = [...pairs].sort((a, b) => a[1] - b[1]).map(([row], order) => ({ ...row, order }));
  return { rows: insertionOrder, insertionOrder };
});

const DURATIONS = new Set(['p50_seconds', 'p95_seconds', 'median_seconds', 'oldest_open_seconds']);
/** Durations to the millisecond (SQL's float arithmetic may differ in the last bits); everything else as it is. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, DURATIONS.has(key) && typeof v === 'number' ? Math.round(v * 1000) / 1000 : comparable(v)]),
    );
  }
  return value;
}

describe('DORA metrics: SQL equals the reference implementation on random histories', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /**
   * A new org (so tenants pile up as runs go) with the teams, the history, plus noise in another org that
   * must not count. Rules given in `rules.before` apply while the history arrives, then `rules.after`
   * replaces them: the answers must be those of the final rules over all history.
   */
  async function orgWith(insertionOrder: ReferenceDeployment[], timezone?: string, rules: { before: TeamRule[]; after: TeamRule[] } = { before: [], after: [] }) {
    const org = await createOrg(t.app, 'prop');
    const noise = await createOrg(t.app, 'noise');
    const { secret } = await createToken(t.app, org, ['dora:read', 'dora:admin']);
    const send = (method: 'post' | 'put', path: string, body: object) =>
      t.http()[method](`/api/v1/orgs/${org.slug}/${path}`).set('Authorization', `Bearer ${secret}`).send(body);
    for (const team of TEAMS) await send('post', 'teams', { slug: team, name: team.toUpperCase() }).expect(201);
    await send('put', 'teams/rules', { rules: rules.before }).expect(200);
    await insertDeployments(t.app, org.id, insertionOrder);
    await insertDeployments(t.app, noise.id, insertionOrder.map((row) => ({ ...row, success: !row.success, team: null })));
    await send('put', 'teams/rules', { rules: rules.after }).expect(200);
    if (timezone) await send('put', 'dora/settings', { timezone }).expect(200);
    return async (path: string) => {
      const res = await t.http().get(`/api/v1/orgs/${org.slug}/dora/${path}`).set('Authorization', `Bearer ${secret}`);
      expect(res.status).toBe(200);
      return res.body;
    };
  }

  it('summary, with the previous window', async () => {
    await fc.assert(
      fc.asyncProperty(
        history,
        fc.constantFrom(7, 30, 90),
        fc.constantFrom(...ENVIRONMENTS),
        fc.option(fc.constantFrom(...REPOS)),
        async ({ rows, insertionOrder }, days, environment, repo) => {
          const get = await orgWith(insertionOrder);
          const params = new URLSearchParams({ window: String(days), environment, as_of: new Date(AS_OF).toISOString(), ...(repo ? { repo } : {}) });
          const sql = await get(`summary?${params}`);
          const { window, previous, ...metrics } = referenceSummary(rows, { environment, repo, days, asOf: AS_OF });
          expect(comparable(sql)).toEqual(comparable({ org: sql.org, environment, repo, team: null, service: null, band_set: 'dora-2023', window, ...metrics, previous }));
        },
      ),
      runs(30),
    );
  });

  it('series, in the org time zone', async () => {
    await fc.assert(
      fc.asyncProperty(
        history,
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(...TIME_ZONES),
        fc.option(fc.constantFrom(...REPOS)),
        fc.integer({ min: 0, max: 7 * 24 }).map((hours) => AS_OF - hours * 3_600_000),
        async ({ rows, insertionOrder }, days, timeZone, repo, asOf) => {
          const get = await orgWith(insertionOrder, timeZone);
          const params = new URLSearchParams({ days: String(days), as_of: new Date(asOf).toISOString(), ...(repo ? { repo } : {}) });
          const sql = await get(`series?${params}`);
          expect(sql.timezone).toBe(timeZone);
          expect(comparable(sql.points)).toEqual(comparable(referenceSeries(rows, { environment: 'production', repo, days, asOf, timeZone })));
        },
      ),
      runs(20),
    );
  });

  it('weeks and months, in time zones that change to and from daylight saving time inside the range', async () => {
    await fc.assert(
      fc.asyncProperty(
        history,
        fc.oneof(
          fc.record({ interval: fc.constant('week' as const), periods: fc.integer({ min: 1, max: 30 }) }),
          fc.record({ interval: fc.constant('month' as const), periods: fc.integer({ min: 1, max: 8 }) }),
        ),
        fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Adelaide', 'UTC'),
        fc.option(fc.constantFrom(...REPOS)),
        fc.integer({ min: 0, max: 40 * 24 }).map((hours) => AS_OF - hours * 3_600_000),
        async ({ rows, insertionOrder }, { interval, periods }, timeZone, repo, asOf) => {
          const get = await orgWith(insertionOrder, timeZone);
          const params = new URLSearchParams({ interval, periods: String(periods), as_of: new Date(asOf).toISOString(), ...(repo ? { repo } : {}) });
          const sql = await get(`series?${params}`);
          expect(sql.interval).toBe(interval);
          expect(comparable(sql.points)).toEqual(comparable(referenceSeries(rows, { environment: 'production', repo, days: 0, asOf, timeZone, interval, periods })));
        },
      ),
      runs(20),
    );
  });

  it('per-repo breakdown', async () => {
    await fc.assert(
      fc.asyncProperty(history, fc.constantFrom(7, 30, 90), fc.constantFrom(...ENVIRONMENTS), async ({ rows, insertionOrder }, days, environment) => {
        const get = await orgWith(insertionOrder);
        const sql = await get(`repos?window=${days}&environment=${environment}&as_of=${new Date(AS_OF).toISOString()}&limit=200`);
        expect(sql.next_cursor).toBeNull();
        expect(comparable(sql.items)).toEqual(comparable(referenceRepos(rows, { environment, days, asOf: AS_OF })));
      }),
      runs(20),
    );
  });

  it('a team, unassigned or a service: exactly the deployments attributed to it, by the rules as they are now', async () => {
    await fc.assert(
      fc.asyncProperty(
        history,
        fc.record({ before: rulesArbitrary, after: rulesArbitrary }),
        fc.constantFrom(...TEAMS, 'unassigned', null),
        fc.option(fc.constantFrom(...SERVICES), { freq: 3 }),
        fc.option(fc.constantFrom(...REPOS), { freq: 3 }),
        async ({ rows, insertionOrder }, rules, team, service, repo) => {
          const get = await orgWith(insertionOrder, undefined, rules);
          const filters = { ...(team ? { team } : {}), ...(service ? { service } : {}), ...(repo ? { repo } : {}) };
          const sql = await get(`summary?${new URLSearchParams({ window: '90', as_of: new Date(AS_OF).toISOString(), ...filters })}`);
          const { window, previous, ...metrics } = referenceSummary(rows, { environment: 'production', repo, service, team, rules: rules.after, days: 90, asOf: AS_OF });
          expect(comparable(sql)).toEqual(comparable({ org: sql.org, environment: 'production', repo, team, service, band_set: 'dora-2023', window, ...metrics, previous }));
        },
      ),
      runs(30),
    );
  });

  it('per-team breakdown: every team and unassigned, which partition the org', async () => {
    await fc.assert(
      fc.asyncProperty(history, fc.record({ before: rulesArbitrary, after: rulesArbitrary }), fc.constantFrom(30, 90), async ({ rows, insertionOrder }, rules, days) => {
        const get = await orgWith(insertionOrder, undefined, rules);
        const asOf = new Date(AS_OF).toISOString();
        const sql = await get(`teams?window=${days}&as_of=${asOf}`);
        const expected = referenceTeams(rows, { environment: 'production', days, asOf: AS_OF, rules: rules.after, teams: [...TEAMS].sort() });
        expect(comparable(sql.items)).toEqual(comparable(expected.map((row) => ({ ...row, name: row.team?.toUpperCase() ?? null }))));
        const org = await get(`summary?window=${days}&as_of=${asOf}`);
        const sum = (key: 'total' | 'failed') => sql.items.reduce((n: number, item: { change_failure_rate: Record<string, number> }) => n + item.change_failure_rate[key], 0);
        expect([sum('total'), sum('failed')]).toEqual([org.change_failure_rate.total, org.change_failure_rate.failed]);
      }),
      runs(20),
    );
  });
});
