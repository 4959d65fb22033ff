import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { csvFields } from '../src/cli/import-deployments.js';
import { deployment, insertDeployments } from './support/deployments.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

const AS_OF = '2026-11-01T00:00:00.000Z';
const DAY = 86_400_000;
/** More production deployments than one page of an export (1,000), more repos than one page of the breakdown (50). */
const ROWS = 1_200;
const REPOS = 60;

/** A CSV body as rows of cells (RFC 4180; no cell here holds a line break). */
const parse = (text: string) => text.split('\r\n').filter(Boolean).map(csvFields);

describe('CSV exports: deployments.csv, repos.csv, teams.csv', () => {
  let t: TestApp;
  let org: Tenant;
  let empty: Tenant;
  let read: string;
  let readEmpty: string;
  const get = (path: string, token = read, slug = org.slug) => t.http().get(`/api/v1/orgs/${slug}/dora/${path}`).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrg(t.app, 'exports');
    empty = await createOrg(t.app, 'exports-empty');
    ({ secret: read } = await createToken(t.app, org, ['dora:read']));
    ({ secret: readEmpty } = await createToken(t.app, empty, ['dora:read']));
    const start = Date.parse(AS_OF) - 80 * DAY;
    await insertDeployments(
      t.app,
      org.id,
      Array.from({ length: ROWS }, (_, i) =>
        deployment(start + i * 3_600_000, { repo_full_name: `acme/repo-${String(i % REPOS).padStart(2, '0')}`, environment: i % 10 === 0 ? 'staging' : 'production', success: i % 9 !== 0 }),
      ),
    );
    const { secret: write } = await createToken(t.app, org);
    for (const external_ref of ['=HYPERLINK("https://evil.example","click")', 'plain, with a comma and a "quote"']) {
      await t.http().post('/api/v1/dora/deployments').set('Authorization', `Bearer ${write}`)
        .send({ repo_full_name: 'acme/repo-00', environment: 'production', deployed_at: new Date(start - DAY).toISOString(), external_ref })
        .expect(201);
    }
  });
  afterAll(() => t.close());

  it('deployments.csv: every deployment the filters select, newest first, past the page size, formulas defused', async () => {
    const res = await get(`deployments.csv?environment=production&from=2026-01-01T00:00:00Z&to=${AS_OF}`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toBe('attachment; filename="deployments.csv"');
    expect(res.headers['data-as-of']).toEqual(expect.any(String));
    const [header, ...rows] = parse(res.text);
    const cell = (row: string[], name: string) => row[header!.indexOf(name)]!;
    const production = Array.from({ length: ROWS }, (_, i) => i).filter((i) => i % 10 !== 0).length + 2;
    expect(production).toBeGreaterThan(1_000);
    expect(rows).toHaveLength(production);
    expect(new Set(rows.map((row) => cell(row, 'id'))).size).toBe(production);
    const times = rows.map((row) => cell(row, 'deployed_at'));
    expect([...times].sort().reverse()).toEqual(times);
    expect(rows.every((row) => cell(row, 'environment') === 'production')).toBe(true);
    expect(new Set(rows.map((row) => cell(row, 'success')))).toEqual(new Set(['true', 'false']));
    const refs = rows.map((row) => cell(row, 'external_ref')).filter(Boolean);
    expect(refs.sort()).toEqual([`'=HYPERLINK("https://evil.example","click")`, 'plain, with a comma and a "quote"']);
    expect(res.text).toContain(`"'=HYPERLINK(""https://evil.example"",""click"")"`);

    const emptyExport = await get('deployments.csv', readEmpty, empty.slug).expect(200);
    expect(parse(emptyExport.text)).toEqual([header]); // the same columns, no row
  });

  it('repos.csv: every repo of the breakdown (more than a page), in the sort asked for; teams.csv: the unassigned row', async () => {
    const page = await get(`repos?as_of=${AS_OF}&window=90`).expect(200);
    expect(page.body.items).toHaveLength(50);
    const res = await get(`repos.csv?as_of=${AS_OF}&window=90&sort=repo_full_name`).expect(200);
    const [header, ...rows] = parse(res.text);
    expect(header!.slice(0, 3)).toEqual(['repo_full_name', 'deployment_frequency.value', 'deployment_frequency.successes']);
    // Production's repos: every tenth repo deployed to staging only (acme/repo-00 also got the two POSTs).
    const production = Array.from({ length: REPOS }, (_, i) => i).filter((i) => i % 10 !== 0 || i === 0);
    expect(production.length).toBeGreaterThan(50);
    expect(rows.map((row) => row[0])).toEqual(production.map((i) => `acme/repo-${String(i).padStart(2, '0')}`));
    const first = page.body.items.find((item: { repo_full_name: string }) => item.repo_full_name === 'acme/repo-07');
    const row = rows.find((cells) => cells[0] === 'acme/repo-07')!;
    expect(Number(row[header!.indexOf('change_failure_rate.total')])).toBe(first.change_failure_rate.total);

    const emptyRepos = await get(`repos.csv?as_of=${AS_OF}`, readEmpty, empty.slug).expect(200);
    expect(parse(emptyRepos.text)).toEqual([header]);

    const teams = parse((await get(`teams.csv?as_of=${AS_OF}&window=90`).expect(200)).text);
    expect(teams).toHaveLength(2);
    expect(teams[1]!.slice(0, 2)).toEqual(['', '']); // unassigned: team and name empty
    expect(Number(teams[1]![teams[0]!.indexOf('change_failure_rate.total')])).toBeGreaterThan(0);
  });

  it('refuses what the JSON routes refuse: no credentials, another org, bad filters', async () => {
    await t.http().get(`/api/v1/orgs/${org.slug}/dora/deployments.csv`).expect(401);
    await get('deployments.csv', read, empty.slug).expect(404);
    const bad = await get('deployments.csv?success=maybe').expect(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'success' })]);
    await get('repos.csv?sort=nonsense').expect(400);
  });
});
