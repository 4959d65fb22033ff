import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { COMMANDS, UsageError } from '../src/cli/commands.js';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

const HOUR = 3_600_000;
const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

/** Teams and services through the HTTP API: the model of DESIGN §3, its validation, its audit trail and its isolation. */
describe('teams and services', () => {
  let t: TestApp;
  let org: Tenant;
  let other: Tenant;
  let admin: string;
  let reader: string;
  let writer: string;
  let otherAdmin: string;

  beforeAll(async () => {
    t = await startTestApp({ INGEST_RATE_LIMIT_PER_MINUTE: '0' });
    org = await createOrg(t.app, 'teams');
    other = await createOrg(t.app, 'teams-other');
    ({ secret: admin } = await createToken(t.app, org, ['dora:read', 'dora:admin']));
    ({ secret: reader } = await createToken(t.app, org, ['dora:read']));
    ({ secret: writer } = await createToken(t.app, org, ['findings:write']));
    ({ secret: otherAdmin } = await createToken(t.app, other, ['dora:read', 'dora:admin']));
  });
  afterAll(() => t.close());

  const api = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, token = admin, slug = org.slug) =>
    t.http()[method](`/api/v1/orgs/${slug}/${path}`).set('Authorization', `Bearer ${token}`);
  const ingest = (body: object, token = writer) =>
    t.http().post('/api/v1/dora/deployments').set('Authorization', `Bearer ${token}`).send({ environment: 'production', ...body });
  const audit = async (action: string) =>
    t.ownerQuery<{ metadata: Record<string, unknown> }>(`SELECT metadata FROM audit_events WHERE tenant_id = $1 AND action = $2 ORDER BY occurred_at`, [org.id, action]);

  describe('teams', () => {
    it('are created, read, renamed and deleted by admins, each change audited', async () => {
      const created = await api('post', 'teams').send({ slug: 'crud', name: ' Crud team ' }).expect(201);
      expect(created.body).toMatchObject({ slug: 'crud', name: 'Crud team', rules: 0 });
      await api('get', 'teams/crud', reader).expect(200);
      const renamed = await api('patch', 'teams/crud').send({ slug: 'crud-2', name: 'Renamed' }).expect(200);
      expect(renamed.body).toMatchObject({ slug: 'crud-2', name: 'Renamed' });
      await api('get', 'teams/crud', reader).expect(404);
      await api('delete', 'teams/crud-2').expect(204);
      await api('get', 'teams/crud-2', reader).expect(404);
      expect((await audit('teams.created')).map((e) => e.metadata)).toContainEqual({ slug: 'crud', name: 'Crud team' });
      expect((await audit('teams.updated')).map((e) => e.metadata)).toContainEqual({ before: { slug: 'crud', name: 'Crud team' }, after: { slug: 'crud-2', name: 'Renamed' } });
      expect((await audit('teams.deleted')).map((e) => e.metadata)).toContainEqual({ slug: 'crud-2', name: 'Renamed', rules: 0 });
    });

    it.each([
      [{ slug: 'rules', name: 'x' }, 'slug', /reserved/],
      [{ slug: 'unassigned', name: 'x' }, 'slug', /reserved/],
      [{ slug: 'Has Caps', name: 'x' }, 'slug', /lowercase/],
      [{ slug: 'ok', name: '' }, 'name', /./],
      [{ slug: 'ok', name: 'x', extra: 1 }, 'extra', /not a known field/],
    ])('refuse %j with a 400 naming %s, and write nothing', async (body, field, message) => {
      const res = await api('post', 'teams').send(body).expect(400);
      expect(res.body.error.details).toContainEqual({ field, message: expect.stringMatching(message) });
      expect(await t.ownerQuery(`SELECT 1 FROM teams WHERE tenant_id = $1 AND slug = $2`, [org.id, body.slug])).toEqual([]);
    });

    it('refuse a second team with the same slug (409), changes without dora:admin (403), and other orgs (404)', async () => {
      await api('post', 'teams').send({ slug: 'dup', name: 'Dup' }).expect(201);
      expect((await api('post', 'teams').send({ slug: 'dup', name: 'Again' }).expect(409)).body.error.code).toBe('conflict');
      await api('post', 'teams', reader).send({ slug: 'nope', name: 'Nope' }).expect(403);
      await api('put', 'teams/rules', reader).send({ rules: [] }).expect(403);
      await api('delete', 'teams/dup', reader).expect(403);
      await api('get', 'teams', otherAdmin).expect(404);
      await api('delete', 'teams/dup', otherAdmin).expect(404);
      // The other org's own team of the same slug is its own.
      await api('post', 'teams', otherAdmin, other.slug).send({ slug: 'dup', name: 'Theirs' }).expect(201);
      expect((await api('get', 'teams/dup', reader).expect(200)).body.name).toBe('Dup');
    });
  });

  describe('rules, services and attribution', () => {
    let repo: string;
    beforeAll(async () => {
      repo = `${org.slug}/mono`;
      for (const slug of ['payments', 'search', 'platform']) await api('post', 'teams').send({ slug, name: slug }).expect(201);
      const deploys = [
        { service: 'checkout', at: 5 },
        { service: 'checkout-api', at: 4 },
        { service: 'search', at: 3 },
        { at: 2 }, // the whole monorepo
        { service: 'search', at: 1, team: 'payments' }, // ingest names its team: the rules do not decide it
      ];
      for (const [i, d] of deploys.entries()) {
        const res = await ingest({ repo_full_name: repo, deployed_at: iso(NOW - d.at * HOUR), external_ref: `run-${i}:${d.service ?? 'all'}`, service: d.service, team: d.team }).expect(201);
        expect(res.body.deduped).toBe(false);
      }
    });

    const teamsOf = async () => {
      const res = await api('get', `dora/deployments?repo=${repo}&limit=50`, reader).expect(200);
      return res.body.items.map((d: { service: string | null; team: string | null }) => [d.service, d.team]);
    };

    it('an ingest naming an unknown team is a 400 naming it, and stores nothing', async () => {
      const res = await ingest({ repo_full_name: repo, deployed_at: iso(NOW), external_ref: 'unknown-team', team: 'ghosts' }).expect(400);
      expect(res.body.error.details).toEqual([{ field: 'team', message: 'no team "ghosts" in this org' }]);
      await ingest({ repo_full_name: repo, deployed_at: iso(NOW), external_ref: 'bad-service', service: 'has space' }).expect(400);
      expect(await t.ownerQuery(`SELECT 1 FROM dora_deployments WHERE tenant_id = $1 AND external_ref IN ('unknown-team', 'bad-service')`, [org.id])).toEqual([]);
    });

    it('replacing the rules re-attributes all history at once: first matching rule wins, a named team always', async () => {
      expect(await teamsOf()).toEqual([
        ['search', 'payments'],
        [null, null],
        ['search', null],
        ['checkout-api', null],
        ['checkout', null],
      ]);
      const rules = [
        { team: 'payments', repo: `${org.slug}/mono`, service: 'checkout*' },
        { team: 'search', repo: `${org.slug}/*`, service: 'search' },
        { team: 'platform', repo: `${org.slug}/mono` },
        { team: 'search', repo: `${org.slug}/mono`, service: 'search*' }, // platform already takes all of it
      ];
      const res = await api('put', 'teams/rules').send({ rules }).expect(200);
      expect(res.body.items.map((r: { deployments_90d: number; shadowed_by: number | null }) => [r.deployments_90d, r.shadowed_by])).toEqual([
        [2, null],
        [1, null],
        [1, null],
        [0, 2],
      ]);
      expect(await teamsOf()).toEqual([
        ['search', 'payments'],
        [null, 'platform'],
        ['search', 'search'],
        ['checkout-api', 'payments'],
        ['checkout', 'payments'],
      ]);
      const [event] = (await audit('teams.rules_replaced')).slice(-1);
      expect(event!.metadata.after).toEqual(rules.map((rule) => ({ service: null, ...rule })));
      expect((await api('get', 'teams', reader).expect(200)).body.items.find((team: { slug: string }) => team.slug === 'search').rules).toBe(2);
    });

    it('filters every metric by team, unassigned and service, and breaks them down by team and by service', async () => {
      const summary = async (query: string) => (await api('get', `dora/summary?window=7&${query}`, reader).expect(200)).body;
      expect((await summary('team=payments')).change_failure_rate.total).toBe(3);
      expect((await summary('team=platform')).change_failure_rate.total).toBe(1);
      expect((await summary('team=search&service=search')).change_failure_rate.total).toBe(1);
      expect((await summary('service=search')).change_failure_rate.total).toBe(2);
      expect((await summary('team=payments')).team).toBe('payments');
      expect((await api('get', 'dora/summary?team=ghosts', reader).expect(400)).body.error.details).toEqual([{ field: 'team', message: 'no team "ghosts" in this org' }]);

      const teams = (await api('get', 'dora/teams?window=7&sort=-deployments', reader).expect(200)).body.items;
      expect(teams.map((row: { team: string | null; change_failure_rate: { total: number } }) => [row.team, row.change_failure_rate.total])).toEqual([
        ['payments', 3],
        ['platform', 1],
        ['search', 1],
        ['dup', 0],
        [null, 0],
      ]);
      const services = (await api('get', `dora/services?window=7&repo=${repo}`, reader).expect(200)).body.items;
      expect(services.map((row: { service: string | null; team: string | null; deployment_frequency: { successes: number } }) => [row.service, row.team, row.deployment_frequency.successes])).toEqual([
        [null, 'platform', 1],
        ['checkout', 'payments', 1],
        ['checkout-api', 'payments', 1],
        ['search', 'search', 2],
      ]);
    });

    it('the preview answers what proposed rules would attribute, and saves nothing', async () => {
      const before = (await api('get', 'teams/rules', reader).expect(200)).body.items;
      const res = await api('post', 'teams/rules/preview').send({ rules: [{ team: 'search', repo: '*' }] }).expect(200);
      expect(res.body.teams.find((row: { team: string | null }) => row.team === 'search')).toMatchObject({ deployments_90d: 4, targets_total: 4 });
      expect(res.body.teams.find((row: { team: string | null }) => row.team === null)).toMatchObject({ deployments_90d: 0, targets_total: 0 });
      expect((await api('get', 'teams/rules', reader).expect(200)).body.items).toEqual(before);
      const bad = await api('post', 'teams/rules/preview').send({ rules: [{ team: 'search', repo: 'a' }, { team: 'ghosts', repo: '*' }] }).expect(400);
      expect(bad.body.error.details).toEqual([{ field: 'rules.1.team', message: 'no team "ghosts" in this org' }]);
      await api('post', 'teams/rules/preview').send({ rules: [{ team: 'search', repo: 'a?b' }] }).expect(400);
    });

    it('deleting a team drops its rules, and what it owned falls to the remaining rules', async () => {
      await api('delete', 'teams/payments').expect(204);
      expect(await teamsOf()).toEqual([
        ['search', 'search'],
        [null, 'platform'],
        ['search', 'search'],
        ['checkout-api', 'platform'],
        ['checkout', 'platform'],
      ]);
    });

    it('time to restore pairs a failure with the next success of the same repo, service and environment', async () => {
      const restoreRepo = `${org.slug}/restore`;
      const at = (h: number) => iso(NOW - h * HOUR);
      await ingest({ repo_full_name: restoreRepo, service: 'a', deployed_at: at(10), success: false, external_ref: 'r1' }).expect(201);
      await ingest({ repo_full_name: restoreRepo, deployed_at: at(9), external_ref: 'r2' }).expect(201); // whole repo: restores nothing of service a
      await ingest({ repo_full_name: restoreRepo, service: 'b', deployed_at: at(8), external_ref: 'r3' }).expect(201);
      await ingest({ repo_full_name: restoreRepo, service: 'a', deployed_at: at(7), external_ref: 'r4' }).expect(201);
      const res = await api('get', `dora/summary?window=7&repo=${restoreRepo}`, reader).expect(200);
      expect(res.body.time_to_restore).toMatchObject({ restored: 1, open: 0, median_seconds: 3 * 3600 });
    });
  });

  it('concurrent ingest while the rules change loses nothing: every deployment ends attributed by the final rules', async () => {
    const race = await createOrg(t.app, 'teams-race');
    const { secret: raceAdmin } = await createToken(t.app, race, ['dora:read', 'dora:admin']);
    const { secret: raceWriter } = await createToken(t.app, race);
    for (const slug of ['red', 'blue']) await api('post', 'teams', raceAdmin, race.slug).send({ slug, name: slug }).expect(201);
    const posts = Array.from({ length: 60 }, (_, i) =>
      ingest({ repo_full_name: `${race.slug}/repo-${i % 20}`, service: i % 3 === 0 ? `svc-${i}` : undefined, deployed_at: iso(NOW - i * 60_000), external_ref: `race-${i}` }, raceWriter).expect(201),
    );
    const changes = Array.from({ length: 6 }, (_, i) =>
      api('put', 'teams/rules', raceAdmin, race.slug)
        .send({ rules: [{ team: i % 2 ? 'red' : 'blue', repo: `${race.slug}/repo-1*` }, { team: 'red', repo: '*', service: 'svc-*' }] })
        .expect(200),
    );
    await Promise.all([...posts, ...changes]);
    await api('put', 'teams/rules', raceAdmin, race.slug).send({ rules: [{ team: 'blue', repo: `${race.slug}/repo-1*` }, { team: 'red', repo: '*', service: 'svc-*' }] }).expect(200);
    const teams = (await api('get', 'dora/teams?window=7', raceAdmin, race.slug).expect(200)).body.items;
    const totals = Object.fromEntries(teams.map((row: { team: string | null; change_failure_rate: { total: number } }) => [row.team ?? 'unassigned', row.change_failure_rate.total]));
    // The final rules, by hand: repo-1 and repo-10..19 → blue (first rule), then any other service → red.
    const expected = { red: 0, blue: 0, unassigned: 0 };
    for (let i = 0; i < 60; i++) {
      const repoNumber = i % 20;
      if (repoNumber === 1 || repoNumber >= 10) expected.blue++;
      else if (i % 3 === 0) expected.red++;
      else expected.unassigned++;
    }
    expect(totals).toEqual(expected);
  });

  it('the CLI creates a team with its rules after the org’s earlier ones, lists and deletes teams', async () => {
    const cliOrg = await createOrg(t.app, 'teams-cli');
    const run = (command: string, positionals: string[], values: Record<string, unknown>) => COMMANDS[command]!(t.app, { positionals, values: { org: cliOrg.slug, ...values } });
    await run('teams:create', ['web'], { name: 'Web', repo: ['acme/web-*'] });
    const created = await run('teams:create', ['shop'], { name: 'Shop', repo: ['acme/mono', 'acme/shop'], service: 'cart*' });
    expect(created.json.rules).toEqual([
      { repo: 'acme/mono', service: 'cart*' },
      { repo: 'acme/shop', service: 'cart*' },
    ]);
    const { secret } = await createToken(t.app, cliOrg, ['dora:read']);
    const rules = (await api('get', 'teams/rules', secret, cliOrg.slug).expect(200)).body.items;
    expect(rules.map((r: { team: string; repo: string; service: string | null }) => [r.team, r.repo, r.service])).toEqual([
      ['web', 'acme/web-*', null],
      ['shop', 'acme/mono', 'cart*'],
      ['shop', 'acme/shop', 'cart*'],
    ]);
    expect((await run('teams:list', [], {})).json.items).toMatchObject([{ slug: 'shop', rules: 2 }, { slug: 'web', rules: 1 }]);
    await expect(run('teams:create', ['bad'], { name: 'Bad', repo: ['a?b'] })).rejects.toThrow(UsageError);
    await run('teams:delete', ['shop'], {});
    expect((await run('teams:list', [], {})).json.items).toMatchObject([{ slug: 'web', rules: 1 }]);
  });
});
