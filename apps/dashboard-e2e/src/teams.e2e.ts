import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium, screenshot } from './browser.js';
import { cli, startService } from './server.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PASSWORD = 'e2e password, long enough';

/**
 * Teams in Chromium, against the real service: the selector, the breakdown and the rules editor. The
 * org's 20 successful production deploys of the last 10 days make every count known in advance:
 *  - web: 10 (no service); mono: 4 of the service "checkout" and 2 of "search"; tools: 3.
 *  - once the teams exist: the rule `web → <org>/web`, and one more tools deploy whose ingest names "shop".
 *  → Web team 10, Shop team 1, Unassigned 9 (mono 6 + tools 3).
 */
describe('teams in the dashboard', () => {
  let service: Awaited<ReturnType<typeof startService>>;
  let browser: BrowserContext;
  let page: Page;
  let secret: string;
  const org = `e2e-teams-${randomBytes(4).toString('hex')}`;
  const admin = `admin@${org}.test`;

  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${service.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const ingest = async (deployments: Record<string, unknown>[]) => {
    for (const body of deployments) {
      const res = await api('POST', '/api/v1/dora/deployments', { environment: 'production', external_ref: randomBytes(6).toString('hex'), ...body });
      expect(res.status).toBe(201);
    }
  };
  const card = (name: string) => page.getByRole('article', { name });
  const rowOf = (scope: Page | Locator, name: string) => scope.locator('tr', { has: page.getByRole('rowheader', { name, exact: true }) });
  const rule = (n: number) => page.getByRole('group', { name: `Rule ${n}` });
  // A select's accessible name ends with its chosen option: "Team All teams".
  const teamSelector = () => page.getByLabel(/^Team /);

  beforeAll(async () => {
    service = await startService();
    await cli(service.env, 'orgs:create', org, '--name', 'E2E Teams');
    await cli(service.env, 'users:create', admin, '--org', org, '--role', 'admin', '--password', PASSWORD);
    ({ secret } = (await cli(service.env, 'tokens:create', '--org', org, '--name', 'setup', '--scope', 'findings:write', '--scope', 'dora:read', '--scope', 'dora:admin')) as {
      secret: string;
    });
    const now = Date.now();
    const at = (d: number) => new Date(now - d * DAY - HOUR).toISOString();
    await ingest([
      ...Array.from({ length: 10 }, (_, d) => ({ repo_full_name: `${org}/web`, deployed_at: at(d) })),
      ...Array.from({ length: 4 }, (_, d) => ({ repo_full_name: `${org}/mono`, service: 'checkout', deployed_at: at(d) })),
      ...Array.from({ length: 2 }, (_, d) => ({ repo_full_name: `${org}/mono`, service: 'search', deployed_at: at(d) })),
      ...Array.from({ length: 3 }, (_, d) => ({ repo_full_name: `${org}/tools`, deployed_at: at(d) })),
    ]);
    browser = await launchChromium();
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('explains teams while the org has none, with the way to create the first', async () => {
    await page.goto(`${service.url}/${org}/_admin/dora/teams`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('Email').fill(admin);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${service.url}/${org}/_admin/dora/teams`);
    const intro = page.getByRole('region', { name: 'No teams yet' });
    await intro.getByText(/the first rule that matches a deployment decides its team/).waitFor();
    expect(await intro.getByRole('link', { name: 'Create the first team' }).getAttribute('href')).toBe(`/${org}/_admin/dora/settings/teams`);
    await screenshot(page, 'teams-01-none-yet');
  });

  describe('once the org has teams', () => {
    beforeAll(async () => {
      expect((await api('POST', `/api/v1/orgs/${org}/teams`, { slug: 'web', name: 'Web team' })).status).toBe(201);
      expect((await api('POST', `/api/v1/orgs/${org}/teams`, { slug: 'shop', name: 'Shop team' })).status).toBe(201);
      expect((await api('PUT', `/api/v1/orgs/${org}/teams/rules`, { rules: [{ team: 'web', repo: `${org}/web`, service: null }] })).status).toBe(200);
      await ingest([{ repo_full_name: `${org}/tools`, team: 'shop', deployed_at: new Date(Date.now() - HOUR).toISOString() }]);
    });

    it('narrows the cards and the repo list to the team chosen', async () => {
      await page.goto(`${service.url}/${org}/_admin/dora`);
      await card('Deployment frequency').getByText('20 successful deploys').waitFor();
      await teamSelector().selectOption({ label: 'Web team' });
      await page.waitForURL(/team=web/);
      await card('Deployment frequency').getByText('10 successful deploys').waitFor();
      await page.getByText(/· production · Web team$/).waitFor();
      await screenshot(page, 'teams-02-selector');

      await teamSelector().selectOption({ label: 'Unassigned' });
      await page.waitForURL(/team=unassigned/);
      await card('Deployment frequency').getByText('9 successful deploys').waitFor();
      await page.getByRole('link', { name: /Deployment frequency: .*, by repo/ }).click();
      await page.waitForURL(/\/dora\/repos\?team=unassigned/);
      const repos = page.locator('main .table-scroll tbody th');
      await repos.first().waitFor();
      expect((await repos.allTextContents()).sort()).toEqual([`${org}/mono`, `${org}/tools`]);
      expect(await teamSelector().inputValue()).toBe('unassigned');
    });

    it('breaks the metrics down by team, with the unassigned deployments a row that lists them', async () => {
      await page.getByRole('link', { name: 'Teams', exact: true }).click();
      await page.getByRole('heading', { name: 'Teams', exact: true }).waitFor();
      const rows = page.locator('main .table-scroll tbody tr');
      await rows.first().waitFor();
      expect(await rows.locator('th').allTextContents()).toEqual(['Shop team', 'Web team', 'Unassigned']);
      const deploys = async (name: string) => rowOf(page, name).locator('td').last().textContent();
      expect([await deploys('Shop team'), await deploys('Web team'), await deploys('Unassigned')]).toEqual(['1', '10', '9']);
      // 10 deploys in 30 days: at least weekly, not daily.
      expect(await rowOf(page, 'Web team').locator('.badge').first().textContent()).toBe('High');
      await screenshot(page, 'teams-03-breakdown');

      await page.getByRole('link', { name: 'Unassigned', exact: true }).click();
      await page.waitForURL(/\/dora\/deployments\?team=unassigned/);
      const deployments = page.locator('table.deployments tbody tr');
      await deployments.first().waitFor();
      expect(await deployments.count()).toBe(9);
      expect(await deployments.filter({ hasText: 'checkout' }).count()).toBe(4);

      await page.goBack();
      await page.getByRole('link', { name: 'Web team', exact: true }).click();
      await page.getByRole('heading', { name: 'Web team' }).waitFor();
      await card('Deployment frequency').getByText('10 successful deploys').waitFor();
      const services = page.locator('main .table-scroll tbody tr');
      await services.first().waitFor();
      expect(await services.locator('th').allTextContents()).toEqual([`${org}/web`]);
      expect(await services.first().locator('td').first().textContent()).toBe('no service');
      await screenshot(page, 'teams-04-team');
    });

    it('edits the rules with a preview of what they match, warns of a rule that can never match, and saves them', async () => {
      await page.getByRole('link', { name: '← All teams' }).click();
      await page.getByRole('link', { name: 'Manage teams and rules' }).click();
      await page.getByRole('heading', { name: 'Teams and rules' }).waitFor();
      const preview = page.getByRole('table', { name: 'Preview' });
      const previewed = (team: string, deployments: number) => rowOf(preview, team).locator('td').first().filter({ hasText: new RegExp(`^${deployments}$`) }).waitFor();
      await previewed('Web team', 10);
      await rule(1).getByText('10 deployments in the last 90 days').waitFor();

      await page.getByRole('button', { name: 'Add a rule' }).click();
      await rule(2).getByLabel('Team').selectOption({ label: 'Shop team' });
      await rule(2).getByLabel('Repository pattern').fill(`${org}/mono`);
      await rule(2).getByLabel('Service pattern (optional)').fill('checkout');
      await page.getByRole('button', { name: 'Add a rule' }).click();
      await rule(3).getByLabel('Team').selectOption({ label: 'Web team' });
      await rule(3).getByLabel('Repository pattern').fill(`${org}/*`);
      await page.getByRole('button', { name: 'Add a rule' }).click();
      await rule(4).getByLabel('Team').selectOption({ label: 'Shop team' });
      await rule(4).getByLabel('Repository pattern').fill(`${org}/tools`);
      await rule(4).getByText(/Never matches: rule 3 above takes every deployment this one would/).waitFor();
      await rule(4).getByText('0 deployments in the last 90 days').waitFor();
      await previewed('Shop team', 4);
      await screenshot(page, 'teams-05-rule-never-matches');

      await rule(4).getByRole('button', { name: 'Move rule 4 up' }).click();
      await page.getByText(/Never matches/).waitFor({ state: 'detached' });
      // The ingest-named tools deploy is not the rules': Shop gets checkout (4) and tools (3), Web its own and search.
      await previewed('Shop team', 7);
      await previewed('Web team', 12);
      await previewed('Unassigned', 0);
      await rule(3).getByText('3 deployments in the last 90 days').waitFor();
      await screenshot(page, 'teams-06-preview');

      await page.getByRole('button', { name: 'Save rules' }).click();
      await page.getByText('Saved: every deployment was attributed again.').waitFor();
      const saved = (await (await api('GET', `/api/v1/orgs/${org}/teams/rules`)).json()) as { items: { team: string; repo: string; service: string | null }[] };
      expect(saved.items.map(({ team, repo, service }) => [team, repo, service])).toEqual([
        ['web', `${org}/web`, null],
        ['shop', `${org}/mono`, 'checkout'],
        ['shop', `${org}/tools`, null],
        ['web', `${org}/*`, null],
      ]);

      await page.getByRole('link', { name: 'Teams', exact: true }).click();
      await rowOf(page, 'Unassigned').locator('td').last().filter({ hasText: /^0$/ }).waitFor();
      expect(await rowOf(page, 'Shop team').locator('td').last().textContent()).toBe('8');
      expect(await rowOf(page, 'Web team').locator('td').last().textContent()).toBe('12');
    });

    it('creates, renames and deletes a team', async () => {
      await page.getByRole('link', { name: 'Manage teams and rules' }).click();
      // The preview lists the teams too: only the Teams section's rows are the list.
      const list = page.getByRole('region', { name: 'Teams', exact: true });
      const create = page.getByRole('form', { name: 'Create a team' });
      await create.getByLabel('Name').fill('Data team');
      expect(await create.getByLabel('Slug').inputValue()).toBe('data-team');
      await create.getByRole('button', { name: 'Create team' }).click();
      await list.getByRole('rowheader', { name: 'Data team' }).waitFor();

      await list.getByRole('button', { name: 'Rename Data team' }).click();
      const rename = page.getByRole('form', { name: 'Rename Data team' });
      await rename.getByLabel('Name').fill('Data platform');
      await rename.getByRole('button', { name: 'Save' }).click();
      await list.getByRole('rowheader', { name: 'Data platform' }).waitFor();

      await list.getByRole('button', { name: 'Delete Data platform' }).click();
      await list.getByRole('rowheader', { name: 'Data platform' }).waitFor({ state: 'detached' });
      const teams = (await (await api('GET', `/api/v1/orgs/${org}/teams`)).json()) as { items: { slug: string }[] };
      expect(teams.items.map((t) => t.slug).sort()).toEqual(['shop', 'web']);
    });

    it('works at 320 px wide', async () => {
      await page.setViewportSize({ width: 320, height: 800 });
      for (const path of ['dora/settings/teams', 'dora/teams']) {
        await page.goto(`${service.url}/${org}/_admin/${path}`);
        await page.locator('main .table-scroll tbody tr').first().waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      }
      await screenshot(page, 'teams-07-narrow');
      await page.setViewportSize({ width: 1280, height: 900 });
    });
  });
});
