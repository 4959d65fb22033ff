import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { deployment, insertDeployments } from './support/deployments.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

const H = 3_600_000;

describe('the org read API: /api/v1/orgs/{slug}/...', () => {
  let t: TestApp;
  let org: Tenant;
  let other: Tenant;
  let read: string;
  let write: string;
  let admin: string;
  let otherRead: string;
  const ingested: string[] = [];

  const get = (path: string, token = read, slug = org.slug) =>
    t.http().get(`/api/v1/orgs/${slug}/${path}`).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrg(t.app, 'reader');
    other = await createOrg(t.app, 'other');
    ({ secret: read } = await createToken(t.app, org, ['dora:read']));
    ({ secret: write } = await createToken(t.app, org, ['findings:write']));
    ({ secret: admin } = await createToken(t.app, org, ['dora:read', 'dora:admin']));
    ({ secret: otherRead } = await createToken(t.app, other, ['dora:read']));
    const now = Date.now();
    const bodies = [
      { repo_full_name: 'acme/web', environment: 'production', deployed_at: new Date(now - 5 * H).toISOString(), success: false, external_ref: 'd1' },
      { repo_full_name: 'acme/web', environment: 'production', deployed_at: new Date(now - 4 * H).toISOString(), external_ref: 'd2' },
      { repo_full_name: 'acme/api', environment: 'production', deployed_at: new Date(now - 3 * H).toISOString(), is_rework: true, external_ref: 'd3' },
      { repo_full_name: 'acme/api', environment: 'production', deployed_at: new Date(now - 2 * H).toISOString(), external_ref: 'd4' },
      { repo_full_name: 'acme/web', environment: 'staging', deployed_at: new Date(now - 1 * H).toISOString(), external_ref: 'd5' },
    ];
    for (const body of bodies) {
      const res = await t.http().post('/api/v1/dora/deployments').set('Authorization', `Bearer ${write}`).set('X-Request-Id', `req-${body.external_ref}`).send(body).expect(201);
      ingested.push(res.body.id);
    }
    await insertDeployments(t.app, other.id, [deployment(now - H, { repo_full_name: 'other/secret' })]);
  });
  afterAll(() => t.close());

  describe('access', () => {
    it('401 without a token', async () => {
      const res = await t.http().get(`/api/v1/orgs/${org.slug}/dora/summary`).expect(401);
      expect(res.body.error.code).toBe('unauthenticated');
    });

    it('403 with a token of the org that lacks dora:read', async () => {
      const res = await get('dora/summary', write).expect(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('dora:read') });
    });

    it("404 for another org's slug, exactly as for a slug that does not exist, whatever the token's scopes", async () => {
      for (const [path, token] of [
        ['dora/summary', read],
        ['dora/summary', write],
        ['audit', read],
        ['dora/settings', admin],
      ] as const) {
        const foreign = await get(path, token, other.slug).expect(404);
        const missing = await get(path, token, 'no-such-org').expect(404);
        expect(foreign.body).toEqual({ error: { code: 'not_found', message: `No org with the slug "${other.slug}"` } });
        expect(missing.body).toEqual({ error: { code: 'not_found', message: 'No org with the slug "no-such-org"' } });
      }
      await t.http().put(`/api/v1/orgs/${other.slug}/dora/settings`).set('Authorization', `Bearer ${admin}`).send({ window_days: 7 }).expect(404);
    });

    it("never shows another org's deployments", async () => {
      const res = await get('dora/deployments?environment=production').expect(200);
      expect(res.body.items.map((d: { repo_full_name: string }) => d.repo_full_name)).not.toContain('other/secret');
      const theirs = await get('dora/deployments', otherRead, other.slug).expect(200);
      expect(theirs.body.items.map((d: { repo_full_name: string }) => d.repo_full_name)).toEqual(['other/secret']);
    });
  });

  describe('bad query parameters: 400 naming the parameter', () => {
    it.each([
      ['dora/summary?window=14', 'window'],
      ['dora/summary?window=thirty', 'window'],
      ['dora/summary?as_of=yesterday', 'as_of'],
      ['dora/summary?as_of=2026-11-26T10:00:00', 'as_of'],
      ['dora/summary?environment=prod%20eu', 'environment'],
      ['dora/summary?repo=web', 'repo'],
      ['dora/summary?metric=lead_time', 'metric'],
      ['dora/series?days=0', 'days'],
      ['dora/series?days=91', 'days'],
      ['dora/series?days=1.5', 'days'],
      ['dora/repos?sort=happiness', 'sort'],
      ['dora/repos?sort=-bogus', 'sort'],
      ['dora/repos?limit=0', 'limit'],
      ['dora/repos?limit=201', 'limit'],
      ['dora/repos?cursor=not-a-cursor', 'cursor'],
      ['dora/deployments?from=2026-13-01T00:00:00Z', 'from'],
      ['dora/deployments?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', 'from'],
      ['dora/deployments?success=yes', 'success'],
      ['dora/deployments?cursor=WyJ4Il0', 'cursor'],
      ['audit?action=DROP%20TABLE', 'action'],
      ['audit?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', 'from'],
    ])('%s', async (path, field) => {
      const res = await get(path).expect(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });
  });

  describe('summary and series', () => {
    it('default to the org window and production, and name what they answered', async () => {
      const res = await get('dora/summary').expect(200);
      expect(res.body).toMatchObject({ org: org.slug, environment: 'production', repo: null, band_set: 'dora-2023', window: { days: 30 } });
      // production: 4 deploys, one failure and one rework, the failure restored 1 h later.
      expect(res.body.change_failure_rate).toEqual({ value: 0.5, failed: 2, total: 4, band: 'low' });
      expect(res.body.time_to_restore).toMatchObject({ median_seconds: 3600, restored: 1, open: 0, band: 'high' });
      expect(Date.parse(res.body.window.to) - Date.parse(res.body.window.from)).toBe(30 * 24 * H);
    });

    it('answer the same for the same as_of', async () => {
      const asOf = new Date().toISOString();
      const first = await get(`dora/summary?as_of=${asOf}`).expect(200);
      const later = { repo_full_name: 'acme/web', environment: 'canary', deployed_at: new Date(Date.parse(asOf) + 1000).toISOString() };
      await t.http().post('/api/v1/dora/deployments').set('Authorization', `Bearer ${write}`).send(later).expect(201);
      const second = await get(`dora/summary?as_of=${asOf}&environment=canary`).expect(200);
      const third = await get(`dora/summary?as_of=${asOf}&environment=canary`).expect(200);
      expect(second.body.deployment_frequency.successes).toBe(0);
      expect(third.body).toEqual(second.body);
      expect((await get(`dora/summary?as_of=${asOf}`).expect(200)).body).toEqual(first.body);
    });

    it('series defaults to 30 days, the last one holding as_of', async () => {
      const res = await get('dora/series').expect(200);
      expect(res.body.points).toHaveLength(30);
      expect(res.body.timezone).toBe('UTC');
      const last = res.body.points.at(-1);
      expect(Date.parse(last.to)).toBeLessThanOrEqual(Date.now());
      expect(last.date).toBe(new Date(last.to).toISOString().slice(0, 10));
    });
  });

  describe('per-repo breakdown', () => {
    let many: Tenant;
    let token: string;
    beforeAll(async () => {
      many = await createOrg(t.app, 'repos');
      ({ secret: token } = await createToken(t.app, many, ['dora:read']));
      const now = Date.now();
      // repo-k has k + 1 deployments; repo-3 one failure (open); repo-1 and repo-4 have lead times.
      const rows = Array.from({ length: 5 }, (_, k) =>
        Array.from({ length: k + 1 }, (_, i) =>
          deployment(now - (i + 1) * H, {
            repo_full_name: `acme/repo-${k}`,
            success: !(k === 3 && i === 0),
            commit_sha: k === 1 || k === 4 ? 'abcdef0' : null,
            committed_at: k === 1 || k === 4 ? now - (i + 1) * H - (k + 1) * 60_000 : null,
          }),
        ),
      ).flat();
      await insertDeployments(t.app, many.id, rows);
    });
    const page = (query: string) => t.http().get(`/api/v1/orgs/${many.slug}/dora/repos?${query}`).set('Authorization', `Bearer ${token}`).expect(200);
    const all = async (query: string) => {
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await page(`${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        names.push(...res.body.items.map((item: { repo_full_name: string }) => item.repo_full_name));
        cursor = res.body.next_cursor;
      } while (cursor);
      return names;
    };

    it('pages through every repo once, in the requested order', async () => {
      expect(await all('sort=repo_full_name')).toEqual(['acme/repo-0', 'acme/repo-1', 'acme/repo-2', 'acme/repo-3', 'acme/repo-4']);
      expect(await all('sort=-repo_full_name')).toEqual(['acme/repo-4', 'acme/repo-3', 'acme/repo-2', 'acme/repo-1', 'acme/repo-0']);
      expect(await all('sort=-deployments')).toEqual(['acme/repo-4', 'acme/repo-3', 'acme/repo-2', 'acme/repo-1', 'acme/repo-0']);
      // Lead time p50: repo-1 2 min, repo-4 5 min; the rest have none and come last, by name.
      expect(await all('sort=lead_time')).toEqual(['acme/repo-1', 'acme/repo-4', 'acme/repo-0', 'acme/repo-2', 'acme/repo-3']);
      expect(await all('sort=-lead_time')).toEqual(['acme/repo-4', 'acme/repo-1', 'acme/repo-0', 'acme/repo-2', 'acme/repo-3']);
      expect(await all('sort=-change_failure_rate')).toEqual(['acme/repo-3', 'acme/repo-0', 'acme/repo-1', 'acme/repo-2', 'acme/repo-4']);
    });

    it('gives each repo all five metrics with bands', async () => {
      const res = await page('sort=repo_full_name&limit=1');
      expect(res.body.items[0]).toMatchObject({
        repo_full_name: 'acme/repo-0',
        deployment_frequency: { successes: 1, band: 'medium' },
        lead_time: { sample: 0, without_commit: 1, band: null },
        change_failure_rate: { value: 0, band: 'elite' },
        time_to_restore: { median_seconds: null, band: null },
        rework_rate: { value: 0, band: null },
      });
      expect(res.body.next_cursor).toEqual(expect.any(String));
    });
  });

  describe('deployments behind the numbers', () => {
    it('lists newest first with their lineage, and pages without gaps or repeats', async () => {
      const first = await get('dora/deployments?limit=2').expect(200);
      expect(first.body.items.map((d: { id: string }) => d.id)).toEqual([ingested[3], ingested[2]]);
      expect(first.body.items[0]).toMatchObject({
        repo_full_name: 'acme/api',
        environment: 'production',
        success: true,
        is_rework: false,
        external_ref: 'd4',
        source: 'api',
        ingested_by: { type: 'token', id: expect.any(String), name: 'test token' },
        commit_sha: null,
        committed_at: null,
      });
      const second = await get(`dora/deployments?limit=2&cursor=${first.body.next_cursor}`).expect(200);
      expect(second.body.items.map((d: { id: string }) => d.id)).toEqual([ingested[1], ingested[0]]);
    });

    it('filters by repo, environment, success, rework and time', async () => {
      const ids = async (query: string) => (await get(`dora/deployments?${query}`).expect(200)).body.items.map((d: { id: string }) => d.id);
      expect(await ids('success=false')).toEqual([ingested[0]]);
      expect(await ids('is_rework=true')).toEqual([ingested[2]]);
      expect(await ids('environment=staging')).toEqual([ingested[4]]);
      expect(await ids('repo=acme/api')).toEqual([ingested[3], ingested[2]]);
      const res = await get('dora/deployments?limit=200').expect(200);
      const third = res.body.items.find((d: { id: string }) => d.id === ingested[2]);
      expect(await ids(`from=${third.deployed_at}&to=${third.deployed_at}`)).toEqual([]);
      expect(await ids(`from=${third.deployed_at}&to=${new Date(Date.parse(third.deployed_at) + 1).toISOString()}`)).toEqual([ingested[2]]);
    });

    it('shows one deployment with its audit event', async () => {
      const res = await get(`dora/deployments/${ingested[0]}`).expect(200);
      expect(res.body).toMatchObject({ id: ingested[0], success: false, external_ref: 'd1' });
      expect(res.body.audit_events).toEqual([
        expect.objectContaining({
          action: 'api.dora.deployments.ingested',
          actor: { type: 'token', id: expect.any(String) },
          subject: { type: 'deployment', id: ingested[0] },
          request_id: 'req-d1',
        }),
      ]);
    });

    it("404 for an unknown id, a malformed one, and another org's", async () => {
      const [theirs] = await t.ownerQuery<{ id: string }>(`SELECT id FROM dora_deployments WHERE tenant_id = $1`, [other.id]);
      for (const id of ['01a21786-830e-720f-b9d2-c201724675a3', 'nope', theirs!.id]) {
        const res = await get(`dora/deployments/${id}`).expect(404);
        expect(res.body.error.code).toBe('not_found');
      }
    });

    it('counts the environments seen', async () => {
      const res = await get('dora/environments').expect(200);
      expect(res.body.items).toEqual([
        { environment: 'production', deployments: 4, last_deployed_at: expect.any(String) },
        { environment: 'canary', deployments: 1, last_deployed_at: expect.any(String) },
        { environment: 'staging', deployments: 1, last_deployed_at: expect.any(String) },
      ]);
    });
  });

  describe('audit log', () => {
    it('lists the org events newest first, filtered by action, in pages', async () => {
      const all = (await get('audit?limit=200').expect(200)).body.items;
      const times = all.map((e: { occurred_at: string }) => Date.parse(e.occurred_at));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(all.at(-1).action).toBe('org.created');

      const ingests = (await get('audit?action=api.dora.deployments.ingested&limit=2').expect(200)).body;
      expect(ingests.items).toHaveLength(2);
      const rest = (await get(`audit?action=api.dora.deployments.ingested&limit=200&cursor=${ingests.next_cursor}`).expect(200)).body;
      const ids = [...ingests.items, ...rest.items].map((e: { subject: { id: string } }) => e.subject.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ingested) expect(ids).toContain(id);
    });
  });

  describe('settings', () => {
    it('reads the window, the time zone, the lead time basis and the token lifetime policy', async () => {
      expect((await get('dora/settings').expect(200)).body).toEqual({ window_days: 30, timezone: 'UTC', lead_time_basis: 'deployment', max_token_lifetime_days: null });
    });

    it('changes them with dora:admin only, validates them, and audits the change', async () => {
      const put = (body: object, token = admin) => t.http().put(`/api/v1/orgs/${org.slug}/dora/settings`).set('Authorization', `Bearer ${token}`).send(body);
      expect((await put({ window_days: 7 }, read).expect(403)).body.error.code).toBe('forbidden');
      expect((await put({ window_days: 14 }).expect(400)).body.error.details).toEqual([expect.objectContaining({ field: 'window_days' })]);
      expect((await put({ timezone: 'Mars/Olympus_Mons' }).expect(400)).body.error.details).toEqual([expect.objectContaining({ field: 'timezone' })]);
      expect((await put({}).expect(400)).body.error.code).toBe('validation_failed');
      expect((await put({ colour: 'red' }).expect(400)).body.error.details).toEqual([expect.objectContaining({ field: 'colour' })]);
      expect((await put({ lead_time_basis: 'commit' }).expect(400)).body.error.details).toEqual([{ field: 'lead_time_basis', message: 'must be one of deployment, change' }]);
      expect((await get('dora/settings').expect(200)).body).toEqual({ window_days: 30, timezone: 'UTC', lead_time_basis: 'deployment', max_token_lifetime_days: null });

      expect((await put({ window_days: 7, timezone: 'Europe/Berlin' }).expect(200)).body).toEqual({
        window_days: 7,
        timezone: 'Europe/Berlin',
        lead_time_basis: 'deployment',
        max_token_lifetime_days: null,
      });
      expect((await get('dora/summary').expect(200)).body.window.days).toBe(7);
      expect((await get('dora/series?days=1').expect(200)).body.timezone).toBe('Europe/Berlin');
      const [event] = (await get('audit?action=dora.settings.updated').expect(200)).body.items;
      expect(event.metadata).toEqual({
        before: { window_days: 30, timezone: 'UTC', lead_time_basis: 'deployment', max_token_lifetime_days: null },
        after: { window_days: 7, timezone: 'Europe/Berlin', lead_time_basis: 'deployment', max_token_lifetime_days: null },
      });

      // The basis alone, as the dashboard's settings page sends it; the other settings stay.
      expect((await put({ lead_time_basis: 'change' }).expect(200)).body).toMatchObject({ window_days: 7, lead_time_basis: 'change' });
      expect((await get('dora/settings').expect(200)).body.lead_time_basis).toBe('change');
    });
  });
});

describe('restores under concurrent ingest', () => {
  it('a failure and its restoring success posted at the same moment still pair up', async () => {
    const t = await startTestApp();
    try {
      const org = await createOrg(t.app, 'race');
      const { secret } = await createToken(t.app, org, ['findings:write', 'dora:read']);
      const base = Date.now() - 10 * H;
      // 20 repos, each a failure and the success 10 minutes later, all sent at once.
      const bodies = Array.from({ length: 20 }, (_, i) => [
        { repo_full_name: `race/r${i}`, environment: 'production', deployed_at: new Date(base).toISOString(), success: false },
        { repo_full_name: `race/r${i}`, environment: 'production', deployed_at: new Date(base + 600_000).toISOString() },
      ]).flat();
      const responses = await Promise.all(bodies.map((body) => t.http().post('/api/v1/dora/deployments').set('Authorization', `Bearer ${secret}`).send(body)));
      expect(responses.every((r) => r.status === 201)).toBe(true);
      const res = await t.http().get(`/api/v1/orgs/${org.slug}/dora/summary`).set('Authorization', `Bearer ${secret}`).expect(200);
      expect(res.body.time_to_restore).toEqual({ median_seconds: 600, restored: 20, open: 0, oldest_open_seconds: null, band: 'elite' });
    } finally {
      await t.close();
    }
  });
});
