import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ComparedPeriod } from '@dora/domain';
import { type ReferenceDeployment, referenceComparison, referenceSeries, referenceSummary } from '@dora/domain/reference';
import { deployment, insertDeployments } from './support/deployments.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

/**
 * DESIGN §4's decided edge cases, one org each, with the expected numbers worked out by hand. Each case
 * checks the API's SQL answer and the reference implementation against the same hand-made numbers.
 */
const AS_OF = '2026-11-26T10:00:00Z';
const T = Date.parse(AS_OF);
const H = 3_600_000;
const D = 24 * H;
const sha = 'a1b2c3d';

describe('DORA metrics: golden cases (SQL and reference)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A fresh org with these deployments; answers GET of a dora path for it. */
  async function orgWith(rows: ReferenceDeployment[], settings?: { timezone: string }) {
    const org = await createOrg(t.app, 'golden');
    const { secret } = await createToken(t.app, org, ['dora:read', 'dora:admin']);
    await insertDeployments(t.app, org.id, rows);
    if (settings) {
      await t.http().put(`/api/v1/orgs/${org.slug}/dora/settings`).set('Authorization', `Bearer ${secret}`).send(settings).expect(200);
    }
    return async (path: string) => {
      const res = await t.http().get(`/api/v1/orgs/${org.slug}/dora/${path}`).set('Authorization', `Bearer ${secret}`);
      expect(res.status).toBe(200);
      return res.body;
    };
  }

  async function summaryOf(rows: ReferenceDeployment[], query: { window?: number; asOf?: string; repo?: string } = {}) {
    const get = await orgWith(rows);
    const asOf = query.asOf ?? AS_OF;
    const params = new URLSearchParams({ window: String(query.window ?? 30), as_of: asOf, ...(query.repo ? { repo: query.repo } : {}) });
    const sql = await get(`summary?${params}`);
    const reference = referenceSummary(rows, { environment: 'production', repo: query.repo ?? null, days: query.window ?? 30, asOf: Date.parse(asOf) });
    return { sql, reference };
  }

  it('no data: nulls and no bands, except a frequency of 0 in band low', async () => {
    const { sql, reference } = await summaryOf([]);
    const expected = {
      deployment_frequency: { value: 0, successes: 0, band: 'low' },
      lead_time: {
        p50_seconds: null,
        p95_seconds: null,
        sample: 0,
        without_commit: 0,
        excluded_negative: 0,
        band: null,
        per_change: { p50_seconds: null, p95_seconds: null, sample: 0, excluded_negative: 0, deployments_with_changes: 0, band: null },
      },
      change_failure_rate: { value: null, failed: 0, total: 0, band: null },
      time_to_restore: { median_seconds: null, restored: 0, open: 0, oldest_open_seconds: null, band: null },
      rework_rate: { value: null, rework: 0, total: 0, band: null },
    };
    expect(sql).toMatchObject({ ...expected, org: expect.any(String), environment: 'production', repo: null, band_set: 'dora-2023' });
    expect(reference).toMatchObject(expected);
    expect(sql.window).toEqual({ days: 30, from: '2026-10-27T10:00:00.000Z', to: '2026-11-26T10:00:00.000Z' });
    expect(sql.previous.window).toEqual({ days: 30, from: '2026-09-27T10:00:00.000Z', to: '2026-10-27T10:00:00.000Z' });
  });

  it('window edges: from is inclusive, as_of exclusive, in plain seconds', async () => {
    // In the 30-day window [T − 30 d, T): the deploy at exactly T − 30 d. Not: T itself, and T − 30 d − 1 ms
    // (which is the previous window's last millisecond).
    const { sql, reference } = await summaryOf([
      deployment(T - 30 * D),
      deployment(T),
      deployment(T - 30 * D - 1),
      deployment(T - 60 * D), // the previous window's first instant
      deployment(T - 60 * D - 1), // before both
    ]);
    // 1 success in 30 days: 1/30 a day, medium (30·1 ≥ 30).
    for (const answer of [sql, reference]) {
      expect(answer.deployment_frequency).toEqual({ value: 1 / 30, successes: 1, band: 'medium' });
      expect(answer.previous.deployment_frequency).toEqual({ value: 2 / 30, successes: 2, band: 'medium' });
    }
  });

  it('lead time: successful deploys with a commit not after them; the rest is counted, not measured', async () => {
    const { sql, reference } = await summaryOf([
      deployment(T - 10 * H, { commit_sha: sha, committed_at: T - 11 * H }), // 1 h
      deployment(T - 10 * H, { commit_sha: sha, committed_at: T - 13 * H }), // 3 h
      deployment(T - 9 * H, { commit_sha: sha, committed_at: T - 9 * H }), // 0 s: counts
      deployment(T - 8 * H, { commit_sha: null, committed_at: T - 9 * H }), // without commit_sha
      deployment(T - 8 * H, { commit_sha: sha, committed_at: null }), // without committed_at
      deployment(T - 8 * H, { commit_sha: sha, committed_at: T - 7 * H }), // commit after deploy: excluded_negative
      deployment(T - 8 * H, { commit_sha: sha, committed_at: T - 100 * H, success: false }), // failed: never in lead time
    ]);
    // Sample [0, 3600, 10800]: p50 = 3600; p95 at position 0.95·2 = 1.9 → 3600 + 0.9·7200 = 10080.
    // 6 successes = 3 sample + 2 without_commit + 1 excluded_negative. Per change, the one commit counts
    // once: at its first successful deployment (of the two at T − 10 h, the first stored), 1 h.
    const perChange = { p50_seconds: 3600, p95_seconds: 3600, sample: 1, excluded_negative: 0, deployments_with_changes: 1, band: 'elite' };
    const expected = { p50_seconds: 3600, p95_seconds: 10080, sample: 3, without_commit: 2, excluded_negative: 1, band: 'elite', per_change: perChange };
    expect(sql.lead_time).toEqual(expected);
    expect(reference.lead_time.p95_seconds).toBeCloseTo(10080, 6);
    expect({ ...reference.lead_time, p95_seconds: 10080 }).toEqual(expected);
    expect(sql.deployment_frequency.successes).toBe(6);
  });

  it('per-change lead time: each commit once, at its first successful deployment of the repo, service and environment', async () => {
    const c = (sha: string, committedAt: number) => ({ sha, committed_at: committedAt });
    const { sql, reference } = await summaryOf([
      deployment(T - 40 * D, { commits: [c('c1c1c1c1', T - 41 * D)] }), // c1: first shipped before the window
      deployment(T - 10 * D, { success: false, commits: [c('c2c2c2c2', T - 12 * D), c('c3c3c3c3', T - 11 * D)] }), // failed: ships nothing
      deployment(T - 9 * D, { commits: [c('c1c1c1c1', T - 41 * D), c('c2c2c2c2', T - 12 * D), c('c3c3c3c3', T - 11 * D)] }), // c2 3 d, c3 2 d; c1 again
      deployment(T - 5 * D, { commits: [c('c2c2c2c2', T - 12 * D), c('c4c4c4c4', T - 4 * D)] }), // c2 again; c4 from the future: excluded
      deployment(T - 2 * D, { commits: [c('c4c4c4c4', T - 4 * D)] }), // c4 again: not measured a second time
    ]);
    // Sample [172800, 259200]: p50 216000 (2.5 days: high); p95 at 0.95 → 172800 + 0.95·86400 = 254880.
    const current = { p50_seconds: 216000, p95_seconds: 254880, sample: 2, excluded_negative: 1, deployments_with_changes: 2, band: 'high' };
    // The window before: c1, 1 day exactly (not under a day: high).
    const previous = { p50_seconds: 86400, p95_seconds: 86400, sample: 1, excluded_negative: 0, deployments_with_changes: 1, band: 'high' };
    for (const answer of [sql, reference]) {
      expect(answer.lead_time.per_change).toEqual(current);
      expect(answer.previous.lead_time.per_change).toEqual(previous);
    }
  });

  it('per-change lead time from the bucket counts: exact ranks inside one bucket, whole days and the window’s partial ends, commits moved by backfills', async () => {
    const c = (sha: string, committedAt: number) => ({ sha, committed_at: committedAt });
    const A = T - 5 * D; // a whole day of the window: read from the counts
    const B = T - H; // the window's partial last day: read from the changes themselves
    const E = T - 10 * D;
    const rows = [
      // 10 commits 3600–3609 s before A (one bucket: about 6 % wide), 5 commits 7200–7240 s before B.
      deployment(A, { commits: Array.from({ length: 10 }, (_, i) => c(`a${i}a${i}a${i}a${i}`, A - (3600 + i) * 1000)) }),
      deployment(B, { commits: Array.from({ length: 5 }, (_, i) => c(`b${i}b${i}b${i}b${i}`, B - (7200 + 10 * i) * 1000)) }),
      deployment(T - 2 * D, { commits: [c('c0c0c0c0', T - 2 * D + 60_000)] }), // from the future: excluded, but its deployment shipped it
      deployment(E, { commits: [c('e0e0e0e0', E - 100_000)] }),
      // Backfills, arriving later: a deploy 30 min before A takes a9 from it (lead 1809 s); one 10 s before E takes E's only commit (90 s).
      deployment(A - 1_800_000, { commits: [c('a9a9a9a9', A - 3609_000)] }),
      deployment(E - 10_000, { commits: [c('e0e0e0e0', E - 100_000)] }),
    ];
    const { sql, reference } = await summaryOf(rows);
    // Sorted: 90, 1809, 3600…3608, 7200, 7210, 7220, 7230, 7240 — 16. p50 at 7.5: (3605 + 3606) / 2; p95 at 14.25: 7230 + 0.25 · 10.
    // Deployments that first shipped a commit: A, B, the future one, and the two backfills — E lost its only one.
    const expected = { p50_seconds: 3605.5, p95_seconds: 7232.5, sample: 16, excluded_negative: 1, deployments_with_changes: 5, band: 'elite' };
    expect(sql.lead_time.per_change).toEqual(expected);
    expect(reference.lead_time.per_change).toEqual(expected);
    // The same through a repo filter, which reads the changes themselves.
    const { sql: filtered } = await summaryOf(rows, { repo: 'acme/web' });
    expect(filtered.lead_time.per_change).toEqual(expected);
  });

  it('a whole environment from the counts by kind: lead time’s exact ranks inside one bucket, whole days and the window’s partial ends', async () => {
    const A = T - 5 * D; // a whole day of the window: read from the counts
    const B = T - H; // the window's partial last day: read from the deployments themselves
    const F = T - 30 * D + H; // the window's partial first day
    const led = (at: number, seconds: number, fields: Partial<ReferenceDeployment> = {}) =>
      deployment(at, { commit_sha: `c${at.toString(16)}`, committed_at: at - seconds * 1000, ...fields });
    const rows = [
      // 5 deployments 7200–7240 s after their commits, then 10 of 3600–3609 s (one bucket: about 6 % wide) arriving after them.
      ...Array.from({ length: 5 }, (_, i) => led(B + i * 60_000, 7200 + 10 * i)),
      ...Array.from({ length: 10 }, (_, i) => led(A + i * 60_000, 3600 + i)),
      led(F, 90),
      led(T - 30 * D - H, 50), // the window before
      led(A - H, 100, { success: false }), // a failure: no lead time
      led(A - 2 * H, -60), // committed after it was deployed: excluded and counted
      deployment(A - 3 * H), // no commit data
      led(A - 4 * H, 10, { environment: 'staging' }),
      // Rework, and a failure restored 1 h later, on the partial last day.
      deployment(B - 2 * H, { is_rework: true }),
      deployment(B - 3 * H, { success: false, is_rework: true }),
    ];
    const { sql, reference } = await summaryOf(rows);
    // Sorted: 90, 3600…3609, 7200, 7210, 7220, 7230, 7240 — 16. p50 at 7.5: (3606 + 3607) / 2; p95 at 14.25: 7230 + 0.25 · 10.
    const expected = { p50_seconds: 3606.5, p95_seconds: 7232.5, sample: 16, without_commit: 2, excluded_negative: 1, band: 'elite' };
    expect(sql.lead_time).toMatchObject(expected);
    expect(sql.previous.lead_time).toMatchObject({ p50_seconds: 50, p95_seconds: 50, sample: 1, without_commit: 0, excluded_negative: 0 });
    expect(sql.lead_time).toEqual(reference.lead_time);
    expect(sql.previous.lead_time).toEqual(reference.previous.lead_time);
    // The other counts of the same window: 21 deployments, 2 failures (one of them rework) and a successful rework.
    expect(sql.change_failure_rate).toEqual({ value: 3 / 21, failed: 3, total: 21, band: 'medium' });
    expect(sql.rework_rate).toEqual({ value: 2 / 21, rework: 2, total: 21, band: null });
    expect(sql.time_to_restore).toMatchObject({ median_seconds: 3600, restored: 2, open: 0 });
    for (const metric of ['deployment_frequency', 'change_failure_rate', 'rework_rate', 'time_to_restore'] as const) {
      expect(sql[metric]).toEqual(reference[metric]);
    }
    // The same through a repo filter, which sorts the deployments themselves.
    const { sql: filtered } = await summaryOf(rows, { repo: 'acme/web' });
    expect(filtered.lead_time).toEqual(sql.lead_time);
  });

  it('change-failure rate counts failures and rework; rework rate only rework, without a band', async () => {
    const rows = [
      ...Array.from({ length: 16 }, (_, i) => deployment(T - (i + 1) * H)),
      deployment(T - 20 * H, { success: false }),
      deployment(T - 21 * H, { success: false, is_rework: true }),
      deployment(T - 22 * H, { is_rework: true }), // a successful rework still counts as failed
      deployment(T - 23 * H, { is_rework: true }),
    ];
    const { sql, reference } = await summaryOf(rows);
    // total 20; failed = 2 failures + 2 successful rework = 4 → 20 %: low (100·4 = 400 > 15·20 = 300).
    // rework = 3 → 15 %.
    for (const answer of [sql, reference]) {
      expect(answer.change_failure_rate).toEqual({ value: 0.2, failed: 4, total: 20, band: 'low' });
      expect(answer.rework_rate).toEqual({ value: 0.15, rework: 3, total: 20, band: null });
      expect(answer.deployment_frequency.successes).toBe(18);
    }
  });

  it('no failures: change-failure rate 0 (elite), time to restore null with restored 0', async () => {
    const { sql, reference } = await summaryOf([deployment(T - H), deployment(T - 2 * H)]);
    for (const answer of [sql, reference]) {
      expect(answer.change_failure_rate).toEqual({ value: 0, failed: 0, total: 2, band: 'elite' });
      expect(answer.time_to_restore).toEqual({ median_seconds: null, restored: 0, open: 0, oldest_open_seconds: null, band: null });
    }
  });

  it('a streak of failures is measured, each one, to the one success that ends it', async () => {
    const { sql, reference } = await summaryOf([
      deployment(T - 5 * H, { success: false }), // restored after 30 min
      deployment(T - 5 * H + 10 * 60_000, { success: false }), // restored after 20 min
      deployment(T - 5 * H + 30 * 60_000),
      deployment(T - 3 * H, { success: false }), // restored after 2 h
      deployment(T - H),
    ]);
    // Durations 1200, 1800, 7200 s: median 1800 s, elite (< 1 h).
    for (const answer of [sql, reference]) {
      expect(answer.time_to_restore).toEqual({ median_seconds: 1800, restored: 3, open: 0, oldest_open_seconds: null, band: 'elite' });
    }
  });

  it('a failure without a later success before as_of is open: in the failure rate, not in the median', async () => {
    const { sql, reference } = await summaryOf([
      deployment(T - 50 * H, { success: false }),
      deployment(T - 26 * H), // restores the first after 24 h: medium (≥ 1 day, < 1 week)
      deployment(T - 2 * H, { success: false }), // open for 2 h at as_of
      deployment(T - 1 * H, { success: false }), // open for 1 h
      deployment(T - H, { repo_full_name: 'acme/other' }), // another repo restores nothing here
      deployment(T - H, { environment: 'staging' }), // nor does another environment
    ]);
    for (const answer of [sql, reference]) {
      expect(answer.time_to_restore).toEqual({ median_seconds: 86400, restored: 1, open: 2, oldest_open_seconds: 7200, band: 'medium' });
      expect(answer.change_failure_rate).toMatchObject({ failed: 3, total: 5 });
    }
  });

  it('a success at the same instant as a failure does not restore it: it must be strictly later', async () => {
    const { sql, reference } = await summaryOf([deployment(T - H, { success: false }), deployment(T - H)]);
    for (const answer of [sql, reference]) {
      expect(answer.time_to_restore).toMatchObject({ restored: 0, open: 1, oldest_open_seconds: 3600 });
    }
  });

  it('a success exactly at as_of is outside the window and restores nothing yet', async () => {
    const { sql, reference } = await summaryOf([deployment(T - H, { success: false }), deployment(T)]);
    for (const answer of [sql, reference]) {
      expect(answer.time_to_restore).toEqual({ median_seconds: null, restored: 0, open: 1, oldest_open_seconds: 3600, band: null });
      expect(answer.deployment_frequency.successes).toBe(0);
    }
  });

  it('restores are searched before as_of only, so an earlier as_of gives the earlier answer', async () => {
    const rows = [deployment(T - 10 * H, { success: false }), deployment(T - 4 * H)];
    const { sql: early, reference: earlyReference } = await summaryOf(rows, { asOf: new Date(T - 5 * H).toISOString() });
    // At T − 5 h the failure is 5 h old and still open.
    for (const answer of [early, earlyReference]) {
      expect(answer.time_to_restore).toMatchObject({ median_seconds: null, restored: 0, open: 1, oldest_open_seconds: 18000 });
    }
    const { sql: late } = await summaryOf(rows);
    expect(late.time_to_restore).toMatchObject({ median_seconds: 21600, restored: 1, open: 0, band: 'high' });
  });

  it('previous is the summary at as_of − window: a failure restored after that moment is open there', async () => {
    const { sql, reference } = await summaryOf(
      [deployment(T - 8 * D - H, { success: false }), deployment(T - 7 * D + H)],
      { window: 7 },
    );
    // Previous window [T − 14 d, T − 7 d) holds the failure (at T − 8 d − 1 h); its success comes after
    // T − 7 d, so there it is open, 1 d + 1 h old: 90000 s. The current window holds only the success.
    for (const answer of [sql, reference]) {
      expect(answer.previous.time_to_restore).toEqual({ median_seconds: null, restored: 0, open: 1, oldest_open_seconds: 90000, band: null });
      expect(answer.previous.change_failure_rate).toEqual({ value: 1, failed: 1, total: 1, band: 'low' });
      expect(answer.time_to_restore).toEqual({ median_seconds: null, restored: 0, open: 0, oldest_open_seconds: null, band: null });
      expect(answer.deployment_frequency).toEqual({ value: 1 / 7, successes: 1, band: 'high' });
    }
  });

  it('a failure that arrives after its restoring success (a backfill) is restored all the same', async () => {
    const { sql } = await summaryOf([deployment(T - 2 * H), deployment(T - 3 * H, { success: false }), deployment(T - H, { success: false }), deployment(T - 30 * 60_000)]);
    // T − 3 h failure → success at T − 2 h (3600 s); T − 1 h failure → success at T − 30 min (1800 s). Median 2700.
    expect(sql.time_to_restore).toEqual({ median_seconds: 2700, restored: 2, open: 0, oldest_open_seconds: null, band: 'elite' });
  });

  it('gives the same restores whatever order the deployments arrive in', async () => {
    // A failure and a success at the same instant, then a later success: the failure is restored by the
    // later one only (strictly later), after 2 h — in each of the 6 arrival orders.
    const failure = deployment(T - 5 * H, { success: false });
    const sameInstant = deployment(T - 5 * H);
    const later = deployment(T - 3 * H);
    const orders = [
      [failure, sameInstant, later],
      [failure, later, sameInstant],
      [sameInstant, failure, later],
      [sameInstant, later, failure],
      [later, failure, sameInstant],
      [later, sameInstant, failure],
    ];
    for (const order of orders) {
      const { sql } = await summaryOf(order);
      expect(sql.time_to_restore).toEqual({ median_seconds: 7200, restored: 1, open: 0, oldest_open_seconds: null, band: 'high' });
    }
  });

  it('filters by repo', async () => {
    const { sql, reference } = await summaryOf([deployment(T - H), deployment(T - H, { repo_full_name: 'acme/api', success: false })], { repo: 'acme/api' });
    for (const answer of [sql, reference]) {
      expect(answer.change_failure_rate).toEqual({ value: 1, failed: 1, total: 1, band: 'low' });
    }
    expect(sql.repo).toBe('acme/api');
  });

  it('series: local days in the org time zone, 25 hours on the day summer time ends, the last one cut at as_of', async () => {
    const rows = [
      deployment('2026-10-24T21:59:59Z'), // 23:59:59 CEST on the 24th
      deployment('2026-10-24T22:00:00Z', { commit_sha: sha, committed_at: Date.parse('2026-10-24T21:00:00Z') }), // 00:00 on the 25th, lead 1 h
      deployment('2026-10-25T22:30:00Z', { success: false }), // 23:30 CET: still the 25th
      deployment('2026-10-26T00:30:00Z'), // 01:30 on the 26th; restores the failure after 2 h
    ];
    const get = await orgWith(rows, { timezone: 'Europe/Berlin' });
    const asOf = '2026-10-26T10:00:00Z';
    const series = await get(`series?days=3&as_of=${asOf}`);
    const empty = { value: null, rework: 0, total: 0 };
    const expected = [
      {
        date: '2026-10-24',
        from: '2026-10-23T22:00:00.000Z',
        to: '2026-10-24T22:00:00.000Z',
        deployment_frequency: { value: 1, successes: 1 },
        lead_time: { p50_seconds: null, p95_seconds: null, sample: 0, per_change: { p50_seconds: null, p95_seconds: null, sample: 0 } },
        change_failure_rate: { value: 0, failed: 0, total: 1 },
        time_to_restore: { median_seconds: null, restored: 0, open: 0 },
        rework_rate: { value: 0, rework: 0, total: 1 },
      },
      {
        date: '2026-10-25', // 25 hours long
        from: '2026-10-24T22:00:00.000Z',
        to: '2026-10-25T23:00:00.000Z',
        deployment_frequency: { value: 1, successes: 1 },
        lead_time: { p50_seconds: 3600, p95_seconds: 3600, sample: 1, per_change: { p50_seconds: 3600, p95_seconds: 3600, sample: 1 } },
        change_failure_rate: { value: 0.5, failed: 1, total: 2 },
        time_to_restore: { median_seconds: 7200, restored: 1, open: 0 },
        rework_rate: { value: 0, rework: 0, total: 2 },
      },
      {
        date: '2026-10-26', // cut at as_of
        from: '2026-10-25T23:00:00.000Z',
        to: '2026-10-26T10:00:00.000Z',
        deployment_frequency: { value: 1, successes: 1 },
        lead_time: { p50_seconds: null, p95_seconds: null, sample: 0, per_change: { p50_seconds: null, p95_seconds: null, sample: 0 } },
        change_failure_rate: { value: 0, failed: 0, total: 1 },
        time_to_restore: { median_seconds: null, restored: 0, open: 0 },
        rework_rate: { value: 0, rework: 0, total: 1 },
      },
    ];
    expect(series).toMatchObject({ environment: 'production', repo: null, timezone: 'Europe/Berlin' });
    expect(series.points).toMatchObject(expected);
    expect(series.points.map((point: { partial: boolean }) => point.partial)).toEqual([false, false, true]);
    expect(referenceSeries(rows, { environment: 'production', repo: null, days: 3, asOf: Date.parse(asOf), timeZone: 'Europe/Berlin' })).toMatchObject(expected);

    const before = await get(`series?days=2&as_of=2026-10-24T12:00:00Z`);
    // A day with no deployment: 0 counts, null rates and durations.
    expect(before.points[0]).toMatchObject({
      date: '2026-10-23',
      deployment_frequency: { value: 0, successes: 0 },
      lead_time: { p50_seconds: null, p95_seconds: null, sample: 0, per_change: { p50_seconds: null, p95_seconds: null, sample: 0 } },
      change_failure_rate: { value: null, failed: 0, total: 0 },
      time_to_restore: { median_seconds: null, restored: 0, open: 0 },
      rework_rate: empty,
    });
  });

  describe('comparison periods', () => {
    /** The comparison by the API and by the reference, as one object per period. */
    async function comparisonOf(rows: ReferenceDeployment[], asOf: string, timeZone: string) {
      const get = await orgWith(rows, { timezone: timeZone });
      const sql = await get(`comparison?as_of=${asOf}`);
      const byPeriod: Record<string, ComparedPeriod> = Object.fromEntries(sql.periods.map((p: ComparedPeriod) => [p.period, p]));
      const reference: Record<string, Pick<ComparedPeriod, 'current' | 'baseline'>> = referenceComparison(rows, { environment: 'production', repo: null, asOf: Date.parse(asOf), timeZone });
      return { sql: byPeriod, reference };
    }
    const bounds = (period: Pick<ComparedPeriod, 'current' | 'baseline'>) => [
      [period.current.from, period.current.to, period.current.days],
      [period.baseline.from, period.baseline.to, period.baseline.days],
    ];

    it('at the end of a month: month to date against all of a shorter last month, each month cut at local midnight', async () => {
      const rows = [
        deployment('2026-02-28T22:59:59Z'), // Feb 28, 23:59:59 CET: last month
        deployment('2026-02-28T23:00:00Z'), // Mar 1, 00:00 CET: this month
        deployment('2026-03-30T12:00:00Z', { success: false }),
        deployment('2026-03-30T12:30:00Z'), // restores it after 30 min
        deployment('2026-01-31T23:00:00Z'), // Feb 1, 00:00 CET
        deployment('2026-01-31T22:59:59Z', { success: false }), // Jan 31, 23:59:59: restored 1 s later, on Feb 1, after January ended
        deployment('2025-12-15T10:00:00Z'),
      ];
      // Tuesday 31 March, 10:00 CEST: 30 days and 10 hours of the month on the wall clock (summer time began on the 29th).
      const { sql, reference } = await comparisonOf(rows, '2026-03-31T08:00:00Z', 'Europe/Berlin');
      const expected = {
        // Day 1 to the same day and time of February would be 3 March: all of February, 28 days.
        month_to_date: [['2026-02-28T23:00:00.000Z', '2026-03-31T08:00:00.000Z', 30 + 10 / 24], ['2026-01-31T23:00:00.000Z', '2026-02-28T23:00:00.000Z', 28]],
        last_month: [['2026-01-31T23:00:00.000Z', '2026-02-28T23:00:00.000Z', 28], ['2025-12-31T23:00:00.000Z', '2026-01-31T23:00:00.000Z', 31]],
        month_before: [['2025-12-31T23:00:00.000Z', '2026-01-31T23:00:00.000Z', 31], ['2025-11-30T23:00:00.000Z', '2025-12-31T23:00:00.000Z', 31]],
        last_180_days: [['2025-10-02T08:00:00.000Z', '2026-03-31T08:00:00.000Z', 180], ['2025-04-05T08:00:00.000Z', '2025-10-02T08:00:00.000Z', 180]],
      };
      for (const answer of [sql, reference]) {
        for (const [period, expectedBounds] of Object.entries(expected)) {
          const [[cFrom, cTo, cDays], [bFrom, bTo, bDays]] = bounds(answer[period]!);
          expect([period, cFrom, cTo, bFrom, bTo]).toEqual([period, expectedBounds[0]![0], expectedBounds[0]![1], expectedBounds[1]![0], expectedBounds[1]![1]]);
          expect(cDays).toBeCloseTo(expectedBounds[0]![2] as number, 9);
          expect(bDays).toBeCloseTo(expectedBounds[1]![2] as number, 9);
        }
        const mtd = answer['month_to_date']!;
        // This month: 2 successes of 3, the failure restored in 30 min. Its baseline (February): 2 successes of 2.
        expect(mtd.current).toMatchObject({ deployment_frequency: { successes: 2, band: 'medium' }, change_failure_rate: { failed: 1, total: 3 }, time_to_restore: { median_seconds: 1800 } });
        expect(mtd.current.deployment_frequency.value).toBeCloseTo(2 / (30 + 10 / 24), 12);
        expect(mtd.baseline).toMatchObject({ deployment_frequency: { successes: 2, value: 2 / 28 }, change_failure_rate: { value: 0, total: 2 }, time_to_restore: { median_seconds: null } });
        // January's failure was restored on 1 February, after January's end: open in January, 1 s old at its end.
        expect(answer['last_month']!.baseline).toMatchObject({ deployment_frequency: { value: 0, successes: 0, band: 'low' }, time_to_restore: { restored: 0, open: 1, oldest_open_seconds: 1 } });
        // The last 180 days hold all seven: both failures restored before as_of (30 min and 1 s).
        expect(answer['last_180_days']!.current).toMatchObject({ deployment_frequency: { successes: 5, value: 5 / 180 }, change_failure_rate: { failed: 2, total: 7 }, time_to_restore: { median_seconds: 900.5 } });
      }
      expect(sql['month_to_date']!.change.deployment_frequency.absolute).toBeCloseTo(2 / (30 + 10 / 24) - 2 / 28, 12);
      expect(sql['month_to_date']!.change.deployment_frequency.relative).toBeCloseTo((2 / (30 + 10 / 24) - 2 / 28) / (2 / 28), 12);
      expect(sql['month_to_date']!.change.change_failure_rate).toEqual({ absolute: 1 / 3, relative: null }); // from a baseline of 0
      expect(sql['month_to_date']!.change.time_to_restore).toEqual({ absolute: null, relative: null }); // nothing to compare with
      expect(sql['last_month']!.change.change_failure_rate).toEqual({ absolute: -1, relative: -1 });
      expect(sql['last_month']!.change.deployment_frequency).toEqual({ absolute: 2 / 28, relative: null });
    });

    it('on 29 February: month to date against February to the same day and time, then all of February once March passes the 29th', async () => {
      const rows = [deployment('2024-02-29T11:00:00Z'), deployment('2024-02-29T13:00:00Z'), deployment('2024-03-01T00:00:00Z'), deployment('2024-03-29T11:59:59Z')];
      const on29th = await comparisonOf(rows, '2024-03-29T12:00:00Z', 'UTC');
      const on30th = await comparisonOf(rows, '2024-03-30T12:00:00Z', 'UTC');
      for (const { sql, reference } of [on29th, on30th]) expect(bounds(sql['month_to_date']!)).toEqual(bounds(reference['month_to_date']!));
      expect(bounds(on29th.sql['month_to_date']!)).toEqual([
        ['2024-03-01T00:00:00.000Z', '2024-03-29T12:00:00.000Z', 28.5],
        ['2024-02-01T00:00:00.000Z', '2024-02-29T12:00:00.000Z', 28.5],
      ]);
      // 1 February + 29.5 days is 1 March, 12:00: the baseline stops at February's end.
      expect(bounds(on30th.sql['month_to_date']!)).toEqual([
        ['2024-03-01T00:00:00.000Z', '2024-03-30T12:00:00.000Z', 29.5],
        ['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z', 29],
      ]);
      // Up to the 29th, 12:00: only the 11:00 deploy of the 29th; all of February holds both.
      expect(on29th.sql['month_to_date']!.baseline.deployment_frequency.successes).toBe(1);
      expect(on30th.sql['month_to_date']!.baseline.deployment_frequency.successes).toBe(2);
      expect(on29th.sql['month_to_date']!.current.deployment_frequency.successes).toBe(2);
      expect(bounds(on29th.sql['last_month']!)).toEqual([
        ['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z', 29],
        ['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z', 31],
      ]);
      expect(on29th.reference['month_to_date']!.baseline.deployment_frequency.successes).toBe(1);
    });

    it('at the first instant of a month: month to date is empty, a frequency of 0 in band low', async () => {
      const { sql, reference } = await comparisonOf([deployment('2026-10-31T22:00:00Z')], '2026-11-01T00:00:00Z', 'UTC');
      for (const answer of [sql, reference]) {
        expect(bounds(answer['month_to_date']!)).toEqual([
          ['2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', 0],
          ['2026-10-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z', 0],
        ]);
        expect(answer['month_to_date']!.current.deployment_frequency).toEqual({ value: 0, successes: 0, band: 'low' });
        expect(answer['last_month']!.current.deployment_frequency.successes).toBe(1);
      }
    });
  });
});
