import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { deployment, insertDeployments } from './support/deployments.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

const H = 3_600_000;
const D = 24 * H;
const AS_OF = '2026-11-15T12:00:00Z';
const oct = (day: number, hour = 12) => Date.UTC(2026, 9, day, hour);

/**
 * Trends of an org in UTC, as of 15 November 2026, 12:00 (the numbers worked out by hand):
 *  - acme/a: a deploy every day of October at 12:00, each 1 h after its commit: 31 a month (Elite),
 *    lead time 1 h (Elite), no failures (Elite), no restores (no data). Team alpha.
 *  - acme/b: a failure on 10 October 10:00 and its fix at 12:00 (2 h: High), which ships commits of 60, 50
 *    and 10 days before (its head): lead time 10 days per deployment (Medium), 50 days per change (Low);
 *    1 success in October (Low), 1 failed of 2 (Low). On 2 November a success 2 h after its commit. Team beta.
 *  - acme/c: one deploy in October, of no team.
 */
describe('trends: /api/v1/orgs/{slug}/dora/{series,comparison,performers}', () => {
  let t: TestApp;
  let org: Tenant;
  let read: string;
  const get = (path: string, token = read) => t.http().get(`/api/v1/orgs/${org.slug}/dora/${path}`).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrg(t.app, 'trends');
    ({ secret: read } = await createToken(t.app, org, ['dora:read']));
    const { secret: admin } = await createToken(t.app, org, ['dora:read', 'dora:admin']);
    const send = (method: 'post' | 'put', path: string, body: object) => t.http()[method](`/api/v1/orgs/${org.slug}/${path}`).set('Authorization', `Bearer ${admin}`).send(body);
    for (const slug of ['alpha', 'beta']) await send('post', 'teams', { slug, name: slug }).expect(201);
    await send('put', 'teams/rules', { rules: [{ team: 'alpha', repo: 'acme/a' }, { team: 'beta', repo: 'acme/b' }] }).expect(200);
    const fix = oct(10);
    await insertDeployments(t.app, org.id, [
      ...Array.from({ length: 31 }, (_, i) => deployment(oct(i + 1), { repo_full_name: 'acme/a', commit_sha: `a${String(i).padStart(6, '0')}`, committed_at: oct(i + 1) - H })),
      deployment(oct(10, 10), { repo_full_name: 'acme/b', success: false }),
      deployment(fix, {
        repo_full_name: 'acme/b',
        commit_sha: 'b000003',
        committed_at: fix - 10 * D,
        commits: [
          { sha: 'b000001', committed_at: fix - 60 * D },
          { sha: 'b000002', committed_at: fix - 50 * D },
          { sha: 'b000003', committed_at: fix - 10 * D },
        ],
      }),
      deployment(Date.UTC(2026, 10, 2, 12), { repo_full_name: 'acme/b', commit_sha: 'b000004', committed_at: Date.UTC(2026, 10, 2, 10) }),
      deployment(oct(20), { repo_full_name: 'acme/c' }),
    ]);
  });
  afterAll(() => t.close());

  const none = { elite: 0, high: 0, medium: 0, low: 0, no_data: 0 };

  it('performers by repo: for each month and banded metric, how many repos with deployments were in each band', async () => {
    const res = await get(`performers?months=3&as_of=${AS_OF}`).expect(200);
    expect(res.body).toMatchObject({ org: org.slug, environment: 'production', by: 'repo', basis: 'deployment', timezone: 'UTC' });
    const [september, october, november] = res.body.months;
    expect(september).toEqual({
      month: '2026-09',
      from: '2026-09-01T00:00:00.000Z',
      to: '2026-10-01T00:00:00.000Z',
      partial: false,
      counted: 0,
      metrics: { deployment_frequency: none, lead_time: none, change_failure_rate: none, time_to_restore: none },
    });
    // October: a 31 a month (Elite), b and c once (Low); lead a 1 h (Elite), b 10 days (Medium), c none.
    expect(october).toMatchObject({ month: '2026-10', partial: false, counted: 3 });
    expect(october.metrics).toEqual({
      deployment_frequency: { ...none, elite: 1, low: 2 },
      lead_time: { ...none, elite: 1, medium: 1, no_data: 1 },
      change_failure_rate: { ...none, elite: 2, low: 1 },
      time_to_restore: { ...none, high: 1, no_data: 2 },
    });
    // November to the 15th, 12:00 (14.5 days): b once, 2 h after its commit — 1 in 14.5 days is Medium (at least one a month).
    expect(november).toMatchObject({ month: '2026-11', from: '2026-11-01T00:00:00.000Z', to: '2026-11-15T12:00:00.000Z', partial: true, counted: 1 });
    expect(november.metrics).toEqual({
      deployment_frequency: { ...none, medium: 1 },
      lead_time: { ...none, elite: 1 },
      change_failure_rate: { ...none, elite: 1 },
      time_to_restore: { ...none, no_data: 1 },
    });
  });

  it('performers by team, leaving out the deployments of no team; basis=change bands the per-change lead time', async () => {
    const byTeam = (await get(`performers?months=2&by=team&as_of=${AS_OF}`).expect(200)).body;
    expect(byTeam.months[0]).toMatchObject({ month: '2026-10', counted: 2 });
    expect(byTeam.months[0].metrics.lead_time).toEqual({ ...none, elite: 1, medium: 1 });
    const perChange = (await get(`performers?months=2&by=team&basis=change&as_of=${AS_OF}`).expect(200)).body;
    expect(perChange.basis).toBe('change');
    // b's fix first shipped commits of 60, 50 and 10 days: p50 50 days (Low).
    expect(perChange.months[0].metrics.lead_time).toEqual({ ...none, elite: 1, low: 1 });
    const oneTeam = (await get(`performers?months=2&by=repo&team=beta&as_of=${AS_OF}`).expect(200)).body;
    expect(oneTeam.months.map((m: { counted: number }) => m.counted)).toEqual([1, 1]);
  });

  it('monthly points carry the full metrics with their bands, the current month marked partial', async () => {
    const res = await get(`series?interval=month&periods=2&as_of=${AS_OF}`).expect(200);
    expect(res.body).toMatchObject({ interval: 'month', timezone: 'UTC' });
    const [october, november] = res.body.points;
    // 33 successes of 34 in October's 31 days.
    expect(october).toMatchObject({ date: '2026-10-01', partial: false, deployment_frequency: { successes: 33, band: 'elite' }, change_failure_rate: { failed: 1, total: 34 } });
    expect(october.deployment_frequency.value).toBeCloseTo(33 / 31, 12);
    expect(october.lead_time.per_change).toMatchObject({ sample: 34, deployments_with_changes: 32 });
    expect(november).toMatchObject({ date: '2026-11-01', partial: true, to: '2026-11-15T12:00:00.000Z', deployment_frequency: { successes: 1 } });
    expect(november.deployment_frequency.value).toBeCloseTo(1 / 14.5, 12);
    const weeks = (await get(`series?interval=week&as_of=${AS_OF}`).expect(200)).body.points;
    expect(weeks).toHaveLength(12);
    expect(weeks.at(-1)).toMatchObject({ date: '2026-11-09', partial: true }); // Monday
  });

  it('refuses what it cannot answer, naming the field', async () => {
    const refused = async (path: string, field: string) => {
      const res = await get(path).expect(400);
      expect([path, res.body.error.details]).toEqual([path, [expect.objectContaining({ field })]]);
    };
    await refused('series?interval=year', 'interval');
    await refused('series?interval=month&periods=25', 'periods');
    await refused('series?interval=week&periods=53', 'periods');
    await refused('series?interval=day&periods=3', 'periods');
    await refused('series?interval=week&days=7', 'days');
    await refused('performers?months=0', 'months');
    await refused('performers?by=service', 'by');
    await refused('performers?basis=commit', 'basis');
    await refused('comparison?as_of=yesterday', 'as_of');
    await refused('comparison.csv?team=no-such-team', 'team');
    await t.http().get(`/api/v1/orgs/${org.slug}/dora/comparison`).expect(401);
    await t.http().get(`/api/v1/orgs/${org.slug}/dora/performers.csv`).expect(401);
  });

  describe('CSV', () => {
    /** A CSV body as rows of cells (none of these cells holds a comma or a quote). */
    const parse = (text: string) => text.split('\r\n').filter(Boolean).map((line) => line.split(','));

    it('series.csv: a header of the JSON field names, one row per point, numbers plain', async () => {
      const res = await get(`series.csv?interval=month&periods=2&as_of=${AS_OF}`).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
      expect(res.headers['content-disposition']).toBe('attachment; filename="series.csv"');
      expect(res.text.endsWith('\r\n')).toBe(true);
      const [header, october, november] = parse(res.text);
      expect(header!.slice(0, 7)).toEqual(['date', 'from', 'to', 'partial', 'deployment_frequency.value', 'deployment_frequency.successes', 'deployment_frequency.band']);
      expect(header).toContain('lead_time.per_change.p50_seconds');
      const cell = (row: string[], name: string) => row[header!.indexOf(name)];
      expect([cell(october!, 'date'), cell(october!, 'deployment_frequency.successes'), cell(october!, 'change_failure_rate.total')]).toEqual(['2026-10-01', '33', '34']);
      expect(cell(november!, 'partial')).toBe('true');
      expect(cell(november!, 'time_to_restore.median_seconds')).toBe(''); // null
    });

    it('comparison.csv: a row per period, negative changes as plain numbers', async () => {
      const res = await get(`comparison.csv?as_of=${AS_OF}`).expect(200);
      const [header, ...rows] = parse(res.text);
      expect(rows.map((row) => row[0])).toEqual(['month_to_date', 'last_month', 'month_before', 'last_180_days']);
      // Month to date: 1 of 1 fine; 1 to 15 October, 12:00: the failure among 16 (a's 14 and b's two).
      const absolute = rows[0]![header!.indexOf('change.change_failure_rate.absolute')];
      expect(absolute).toBe('-0.0625');
    });

    it('performers.csv: a row per month, with the basis', async () => {
      const res = await get(`performers.csv?months=2&basis=change&as_of=${AS_OF}`).expect(200);
      const [header, october] = parse(res.text);
      expect(header).toEqual(expect.arrayContaining(['month', 'counted', 'metrics.lead_time.low', 'basis']));
      expect(october![header!.indexOf('metrics.lead_time.low')]).toBe('1');
      expect(october![header!.indexOf('basis')]).toBe('change');
    });
  });
});
