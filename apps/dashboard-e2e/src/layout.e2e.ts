import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, readmeScreenshot } from './browser.js';
import { cli, startService } from './server.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PASSWORD = 'e2e password, long enough';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/**
 * Every page at a laptop's and a phone's size, with realistic data (repository names and external refs of
 * 40 characters): nothing scrolls sideways, no table hides a column behind its own scroll on the laptop,
 * a phone scrolling a table keeps its first column in view, and axe-core finds nothing serious or critical,
 * in the light scheme on the laptop and the dark one on the phone; on the laptop, tabbing reaches every
 * control, each visibly focused. The README's screenshots come from here.
 */
describe('every page, on every screen', () => {
  let service: Awaited<ReturnType<typeof startService>>;
  let browser: BrowserContext;
  let page: Page;
  let secret: string;
  const org = `e2e-layout-${randomBytes(4).toString('hex')}`;
  const admin = `admin@${org}.test`;
  // 40-character names, as real monorepos and CI run ids have them.
  const repos = ['platform-payments-reconciliation-service', 'customer-identity-and-access-gateway-api', 'storefront-web', 'search'].map((name) => `${org}/${name}`);
  const ref = (i: number) => `github-actions:${String(7_744_219_301 + i)}:1:deploy-production`.padEnd(40, '-').slice(0, 40);

  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${service.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    service = await startService();
    await cli(service.env, 'orgs:create', org, '--name', 'Layout Org');
    await cli(service.env, 'users:create', admin, '--org', org, '--role', 'admin', '--password', PASSWORD);
    ({ secret } = (await cli(service.env, 'tokens:create', '--org', org, '--name', 'ci-production-deployments-reporter', '--scope', 'findings:write', '--scope', 'dora:read', '--scope', 'dora:admin')) as {
      secret: string;
    });
    await cli(service.env, 'forgejo:map', '--org', org, '--owner', `${org}-forgejo-organisation`);
    expect((await api('POST', `/api/v1/orgs/${org}/teams`, { slug: 'payments', name: 'Payments and reconciliation' })).status).toBe(201);
    expect((await api('PUT', `/api/v1/orgs/${org}/teams/rules`, { rules: [{ team: 'payments', repo: repos[0], service: null }] })).status).toBe(200);
    const now = Date.now();
    let i = 0;
    for (let d = 0; d < 60; d++) {
      for (const [r, repo] of repos.entries()) {
        if ((d + r) % 3 === 2) continue;
        const deployedAt = now - d * DAY - (r + 1) * HOUR;
        const failed = (d + r) % 11 === 0;
        const body = {
          repo_full_name: repo,
          environment: r === 3 ? 'staging' : 'production',
          service: r === 1 ? 'identity-token-exchange-worker' : undefined,
          external_ref: ref(i++),
          deployed_at: new Date(deployedAt).toISOString(),
          commit_sha: randomBytes(20).toString('hex'),
          committed_at: new Date(deployedAt - (3 + r * 5) * HOUR).toISOString(),
          success: !failed,
          is_rework: (d + r) % 13 === 0,
        };
        expect((await api('POST', '/api/v1/dora/deployments', body)).status).toBe(201);
      }
    }
    expect((await api('POST', `/api/v1/orgs/${org}/badge-keys`, { name: 'readme-badges-for-the-platform-handbook' })).status).toBe(201);
    browser = await launchChromium();
    page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`${service.url}/login`);
    await page.getByLabel('Email').fill(admin);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${service.url}/${org}/_admin/dora`);
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  const adminPath = () => `/${org}/_admin`;
  const pages: [name: string, path: () => string][] = [
    ['DORA', () => `${adminPath()}/dora`],
    ['Trends', () => `${adminPath()}/dora/trends`],
    ['Repos', () => `${adminPath()}/dora/repos`],
    ['Repo', () => `${adminPath()}/dora/repos/${repos[1]}`],
    ['Teams', () => `${adminPath()}/dora/teams`],
    ['Team', () => `${adminPath()}/dora/teams/payments`],
    ['Deployments', () => `${adminPath()}/dora/deployments`],
    ['Settings', () => `${adminPath()}/dora/settings`],
    ['Team settings', () => `${adminPath()}/dora/settings/teams`],
    ['Tokens', () => `${adminPath()}/tokens`],
    ['Badges', () => `${adminPath()}/badges`],
    ['Webhooks', () => `${adminPath()}/webhooks`],
    ['Audit log', () => `${adminPath()}/audit`],
    ['Landing', () => '/'],
    ['Sign-in', () => '/login'],
    ['Not found', () => `${adminPath()}/no-such-page`],
  ];

  /** The page is drawn with its data: no request in flight, nothing loading, nothing busy. */
  const settled = async () => {
    await page.locator('main h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.waitForFunction(
      () => !document.querySelector('[aria-busy="true"], .skeleton') && ![...document.querySelectorAll('[role="status"]')].some((e) => /Loading/.test(e.textContent ?? '')),
    );
  };

  /** What does not fit: the page's sideways scroll, and the tables that scroll (with whether their first column stays put). */
  const overflow = () =>
    page.evaluate(() => ({
      page: document.documentElement.scrollWidth - window.innerWidth,
      tables: [...document.querySelectorAll('table')].flatMap((table) => {
        if (table.closest('.visually-hidden')) return []; // for screen readers
        const box = table.closest<HTMLElement>('.table-scroll') ?? table.parentElement!;
        if (box.scrollWidth <= box.clientWidth + 1) return [];
        const first = table.querySelector('tr > :first-child');
        return [{ caption: table.getAttribute('aria-label') ?? table.caption?.textContent ?? table.className, hidden: box.scrollWidth - box.clientWidth, pinned: first ? getComputedStyle(first).position === 'sticky' : false }];
      }),
    }));

  /** Tabs round the page (twice past its end at most): what was focused without a visible outline, and what was never reached. */
  const keyboardWalk = async () => {
    const controls = 'a[href], button:not([disabled]), select, input, textarea, summary, [tabindex="0"]';
    const reachable = (selector: string) => [...document.querySelectorAll<HTMLElement>(selector)].filter((e) => e.checkVisibility() && !e.dataset.reached).map((e) => e.outerHTML.slice(0, 80));
    const unmarked: string[] = [];
    let pastTheEnd = 0;
    for (let step = 0; step < 1000 && pastTheEnd < 2 && (await page.evaluate(reachable, controls)).length > 0; step++) {
      await page.keyboard.press('Tab');
      // A date field takes several Tabs (its parts): the same element again is not the end.
      const seen = await page.evaluate(() => {
        const e = document.activeElement as HTMLElement | null;
        if (!e || e === document.body) return 'none';
        if (e.dataset.reached) return 'again';
        e.dataset.reached = 'yes';
        const style = getComputedStyle(e);
        return { what: e.outerHTML.slice(0, 80), outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 };
      });
      if (seen === 'none') pastTheEnd++;
      else if (seen !== 'again' && !seen.outlined) unmarked.push(seen.what);
    }
    return { unmarked, missed: await page.evaluate(reachable, controls) };
  };

  const seriousViolations = async () => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };

  describe.each([
    ['laptop, light', DESKTOP, 'light'],
    ['phone, dark', PHONE, 'dark'],
  ] as const)('%s', (_, viewport, colorScheme) => {
    beforeAll(async () => {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme });
    });

    it.each(pages)(`%s fits, and axe-core finds nothing serious${viewport === DESKTOP ? '; a keyboard reaches every control' : ''}`, async (name, path) => {
      await page.goto(`${service.url}${path()}`);
      await settled();
      if (viewport === DESKTOP && ['DORA', 'Trends', 'Repos', 'Deployments', 'Settings', 'Badges'].includes(name)) await readmeScreenshot(page, name, { fullPage: name === 'DORA' });
      if (viewport === PHONE && name === 'DORA') await readmeScreenshot(page, 'DORA, phone, dark');
      // What is folded away must fit too once opened (the numbers under a chart, an explanation).
      await page.evaluate(() => document.querySelectorAll('details').forEach((details) => (details.open = true)));
      const { page: sideways, tables } = await overflow();
      expect(sideways).toBeLessThanOrEqual(0);
      if (viewport === DESKTOP) expect(tables).toEqual([]);
      else expect(tables.filter((t) => !t.pinned)).toEqual([]);
      expect(await seriousViolations()).toEqual([]);
      if (viewport === DESKTOP) expect(await keyboardWalk()).toEqual({ unmarked: [], missed: [] });
    });
  });

  it('follows the system scheme until the toggle chooses, and remembers the choice', async () => {
    await page.setViewportSize(DESKTOP);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${service.url}${adminPath()}/dora`);
    await settled();
    const rootBackground = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const dark = await rootBackground();
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await rootBackground();
    expect(light).not.toBe(dark);

    await page.getByLabel('Colour scheme').selectOption('dark');
    expect(await rootBackground()).toBe(dark);
    await page.reload();
    await settled();
    expect(await rootBackground()).toBe(dark); // remembered, against the system's light
    expect(await page.getByLabel('Colour scheme').inputValue()).toBe('dark');
    await page.getByLabel('Colour scheme').selectOption('system');
    expect(await rootBackground()).toBe(light);
  });

});
