import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium, screenshot } from './browser.js';
import { cli, startService } from './server.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const PASSWORD = 'e2e password, long enough';

/**
 * The Trends page in Chromium, against the real service. The org's time zone is UTC, and every deploy
 * sits at noon of a calendar day counted from today in UTC, so that the numbers are known whatever the
 * date and the time of day:
 *  - "the month before" (two months back), days 10–12: web deploys 3 times, 26 h after its commit;
 *    day 20 api fails and is fixed 30 min later; day 21 api deploys again (api sends no commits).
 *  - last month, days 10–14: web deploys 5 times, 2 h after its commit; day 20 api fails and is fixed 30 min later.
 *  - yesterday: cli deploys twice (no commits: lead time never sees them, whichever month yesterday is in).
 *  → The month before: lead time 1.1 days (High); repos web (frequency Medium, lead time High, failure rate
 *    Elite, no restore) and api (Medium, no lead time, 1 of 3 failed: Low, restored in 30 min: Elite).
 *  → Last month: lead time 2 h (Elite), against 1.1 days: 1 day (92 %) better; time to restore 30 min both.
 *  → Yesterday: 2 deploys.
 */
describe('trends in the dashboard', () => {
  let service: Awaited<ReturnType<typeof startService>>;
  let browser: BrowserContext;
  let page: Page;
  let secret: string;
  const org = `e2e-trends-${randomBytes(4).toString('hex')}`;
  const admin = `admin@${org}.test`;

  const now = new Date();
  const [year, month] = [now.getUTCFullYear(), now.getUTCMonth()];
  /** Noon (or another hour) of a day of a month counted back from this one. */
  const dayOf = (monthsBack: number, day: number, hour = 12, minute = 0) => Date.UTC(year, month - monthsBack, day, hour, minute);
  const yesterday = Date.UTC(year, month, now.getUTCDate()) - DAY;
  /** 00:00 UTC of the Monday that starts the week holding `ms`. */
  const mondayOf = (ms: number) => {
    const at = new Date(ms);
    return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()) - ((at.getUTCDay() + 6) % 7) * DAY;
  };

  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${service.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const chart = (name: string) => page.getByRole('region', { name, exact: true });
  const tooltipLines = () => page.locator('.tooltip').first().locator(':scope > *').allTextContents();

  /** Moves the mouse over the `index`-th of `count` periods of a chart, where its tooltip shows that period. */
  const hoverPeriod = async (region: Locator, index: number, count: number) => {
    const surface = region.locator('svg.recharts-surface').first();
    const box = (await surface.boundingBox())!;
    // The plot area: recharts clips the drawing to it; each period has an equal band of it.
    const plot = await surface.locator('clipPath[id$="-clip"] rect').first().evaluate((rect) => ['x', 'y', 'width', 'height'].map((name) => Number(rect.getAttribute(name))));
    const [x, y, width, height] = plot as [number, number, number, number];
    await page.mouse.move(box.x + x + ((index + 0.5) * width) / count, box.y + y + height / 2);
  };
  const pointsOf = async (region: Locator, count: number) => {
    await page.waitForFunction(
      ([name, n]) => [...document.querySelectorAll('section[aria-label]')].find((s) => s.getAttribute('aria-label') === name)?.querySelectorAll('tbody tr').length === n,
      [(await region.getAttribute('aria-label'))!, count] as const,
    );
    return region.locator('tbody tr').count();
  };

  beforeAll(async () => {
    service = await startService();
    await cli(service.env, 'orgs:create', org, '--name', 'E2E Trends');
    await cli(service.env, 'users:create', admin, '--org', org, '--role', 'admin', '--password', PASSWORD);
    ({ secret } = (await cli(service.env, 'tokens:create', '--org', org, '--name', 'setup', '--scope', 'findings:write', '--scope', 'dora:read', '--scope', 'dora:admin')) as {
      secret: string;
    });
    expect((await api('POST', `/api/v1/orgs/${org}/teams`, { slug: 'web', name: 'Web team' })).status).toBe(201);
    expect((await api('PUT', `/api/v1/orgs/${org}/teams/rules`, { rules: [{ team: 'web', repo: `${org}/web`, service: null }] })).status).toBe(200);
    const web = (at: number, leadTime: number) => ({ repo_full_name: `${org}/web`, deployed_at: iso(at), commit_sha: `c0ffee${at}`, committed_at: iso(at - leadTime) });
    const deployments = [
      ...[10, 11, 12].map((d) => web(dayOf(2, d), 26 * HOUR)),
      { repo_full_name: `${org}/api`, deployed_at: iso(dayOf(2, 20)), success: false },
      { repo_full_name: `${org}/api`, deployed_at: iso(dayOf(2, 20, 12, 30)) },
      { repo_full_name: `${org}/api`, deployed_at: iso(dayOf(2, 21)) },
      ...[10, 11, 12, 13, 14].map((d) => web(dayOf(1, d), 2 * HOUR)),
      { repo_full_name: `${org}/api`, deployed_at: iso(dayOf(1, 20)), success: false },
      { repo_full_name: `${org}/api`, deployed_at: iso(dayOf(1, 20, 12, 30)) },
      { repo_full_name: `${org}/cli`, deployed_at: iso(yesterday + 12 * HOUR) },
      { repo_full_name: `${org}/cli`, deployed_at: iso(yesterday + 13 * HOUR) },
    ];
    for (const [i, body] of deployments.entries()) {
      const res = await api('POST', '/api/v1/dora/deployments', { environment: 'production', external_ref: `e2e-${i}`, ...body });
      expect(res.status).toBe(201);
    }
    browser = await launchChromium();
    page = browser.pages()[0] ?? (await browser.newPage());
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('opens the trend of a card from the DORA page, that metric marked', async () => {
    await page.goto(`${service.url}/${org}/_admin/dora`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('Email').fill(admin);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${service.url}/${org}/_admin/dora`);
    await page.getByRole('link', { name: 'Lead time for changes: Trend' }).click();
    await page.waitForURL(`${service.url}/${org}/_admin/dora/trends?metric=lead_time`);
    const leadTime = chart('Lead time for changes (per deployment)');
    await leadTime.locator('svg.recharts-surface').waitFor();
    expect(await leadTime.getAttribute('class')).toContain('highlighted');
    expect(await page.getByRole('link', { name: 'Trends' }).getAttribute('aria-current')).toBe('page');
  });

  it('draws the last 30 days, a coloured band behind each point, and tells a day on hover', async () => {
    const frequency = chart('Deployment frequency');
    expect(await pointsOf(frequency, 30)).toBe(30);
    expect(await frequency.locator('.recharts-reference-area-rect').count()).toBe(30);
    expect(await frequency.locator('tbody tr time').nth(28).getAttribute('datetime')).toBe(iso(yesterday).slice(0, 10));
    await hoverPeriod(frequency, 28, 30);
    await page.locator('.tooltip').getByText('2 successful deploys').waitFor();
    const [day, value] = await tooltipLines();
    expect(day).toMatch(/^\d{1,2} \w+ \d{4}$/);
    expect(value).toBe('2/day Elite');
    await screenshot(page, 'trends-01-days');
  });

  it('opens the deployments behind a day with a click', async () => {
    await hoverPeriod(chart('Deployment frequency'), 28, 30);
    await page.locator('.tooltip').getByText('2 successful deploys').waitFor();
    await page.mouse.down();
    await page.mouse.up();
    await page.waitForURL(/\/dora\/deployments\?/);
    const params = new URL(page.url()).searchParams;
    expect(params.get('success')).toBe('true');
    expect(params.get('from')).toBeTruthy();
    expect(params.get('to')).toBeTruthy();
    const rows = page.locator('table.deployments tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    expect(await rows.filter({ hasText: `${org}/cli` }).count()).toBe(2);
    await screenshot(page, 'trends-02-deployments-of-a-day');
    await page.goBack();
    await page.waitForURL(/\/dora\/trends/);
  });

  it('switches to 12 weeks: a past week’s lead time, and the week not over yet marked partial', async () => {
    await page.getByRole('button', { name: 'Week' }).click();
    await page.waitForURL(/interval=week/);
    const leadTime = chart('Lead time for changes (per deployment)');
    expect(await pointsOf(leadTime, 12)).toBe(12);
    // The week holding day 12 of last month, and how many of web's deploys of days 10–14 fall in it.
    const monday = mondayOf(dayOf(1, 12));
    const index = 11 - Math.round((mondayOf(now.getTime()) - monday) / WEEK);
    const measured = [10, 11, 12, 13, 14].filter((d) => dayOf(1, d) >= monday && dayOf(1, d) < monday + WEEK).length;
    await hoverPeriod(leadTime, index, 12);
    await page.locator('.tooltip').getByText(/^Week of /).waitFor();
    expect(await tooltipLines()).toEqual([
      expect.stringMatching(/^Week of \d{1,2} \w+ \d{4}$/),
      '2 h Elite',
      `p95 2 h · ${measured} ${measured === 1 ? 'deploy' : 'deploys'} measured`,
      'Click for the deployments behind it.',
    ]);
    await screenshot(page, 'trends-03-weeks');

    await hoverPeriod(chart('Deployment frequency'), 11, 12);
    await page.locator('.tooltip').getByText('Not over yet: counted up to now.').waitFor();
    expect((await tooltipLines())[0]).toMatch(/^Week of .* \(partial\)$/);
  });

  it('switches to 12 months: last month’s and the month before’s lead time', async () => {
    await page.getByRole('button', { name: 'Month' }).click();
    await page.waitForURL(/interval=month/);
    const leadTime = chart('Lead time for changes (per deployment)');
    expect(await pointsOf(leadTime, 12)).toBe(12);
    await hoverPeriod(leadTime, 10, 12);
    await page.locator('.tooltip').getByText('p95 2 h · 5 deploys measured').waitFor();
    expect((await tooltipLines()).slice(1, 3)).toEqual(['2 h Elite', 'p95 2 h · 5 deploys measured']);
    await hoverPeriod(leadTime, 9, 12);
    await page.locator('.tooltip').getByText('p95 1.1 days · 3 deploys measured').waitFor();
    expect((await tooltipLines())[1]).toBe('1.1 days High');
    await screenshot(page, 'trends-04-months');
    await page.reload();
    expect(await page.getByRole('button', { name: 'Month' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('compares last month with the month before, better in green', async () => {
    const lastMonth = page.getByRole('table', { name: 'Compared' }).locator('tbody[data-period="last_month"]');
    await lastMonth.waitFor();
    const cells = (figure: string) => lastMonth.locator(`tr[data-figure="${figure}"] td`);
    expect(await cells('lead_time').allTextContents()).toEqual(['2 h', '1.1 days', '−1 day (better)', '−92%']);
    expect(await cells('lead_time').nth(2).getAttribute('class')).toBe('better');
    expect(await cells('time_to_restore').allTextContents()).toEqual(['30 min', '30 min', '0', '0%']);
    expect(await page.getByRole('table', { name: 'Compared' }).locator('tbody').count()).toBe(4);
    await page.getByRole('table', { name: 'Compared' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'trends-05-comparison');
  });

  it('stacks the repos, then the teams, of each band month by month', async () => {
    // Six months, this one last: the month before last is the fourth.
    const frequency = chart('Deployment frequency, repos per band');
    expect(await frequency.locator('tbody tr').count()).toBe(6);
    expect(await frequency.locator('.recharts-bar-rectangle path').count()).toBeGreaterThan(0);
    await frequency.scrollIntoViewIfNeeded();
    await hoverPeriod(frequency, 3, 6);
    const tooltip = page.locator('.tooltip', { hasText: ': 2 repos' });
    await tooltip.waitFor();
    expect(await tooltip.locator('li').allTextContents()).toEqual(['Elite: 0', 'High: 0', 'Medium: 2', 'Low: 0', 'Not enough data: 0']);
    const rowOf = (region: Locator) => region.locator('tbody tr').nth(3).locator('td').allTextContents();
    expect(await rowOf(chart('Change-failure rate, repos per band'))).toEqual(['1', '0', '0', '1', '0']);
    expect(await rowOf(chart('Lead time for changes (per deployment), repos per band'))).toEqual(['0', '1', '0', '0', '1']);
    expect(await rowOf(chart('Time to restore, repos per band'))).toEqual(['1', '0', '0', '0', '1']);
    await screenshot(page, 'trends-06-performers');

    await page.getByRole('button', { name: 'By team' }).click();
    await page.waitForURL(/by=team/);
    const teams = chart('Deployment frequency, teams per band');
    await teams.waitFor();
    expect(await rowOf(teams)).toEqual(['0', '0', '1', '0', '0']); // only web belongs to a team
  });

  it('downloads each view as CSV', async () => {
    const download = async (name: RegExp) => {
      const href = (await page.getByRole('link', { name }).getAttribute('href'))!;
      return page.evaluate(async (url) => {
        const res = await fetch(url);
        return { status: res.status, type: res.headers.get('content-type'), lines: (await res.text()).trim().split('\n').length };
      }, href);
    };
    expect(await download(/monthly series \(CSV\)/)).toEqual({ status: 200, type: expect.stringContaining('text/csv'), lines: 13 });
    expect(await download(/comparison \(CSV\)/)).toEqual({ status: 200, type: expect.stringContaining('text/csv'), lines: 5 });
    expect(await download(/performers \(CSV\)/)).toEqual({ status: 200, type: expect.stringContaining('text/csv'), lines: 7 });
  });

  it('works at 320 px wide', async () => {
    await page.setViewportSize({ width: 320, height: 800 });
    await page.reload();
    await chart('Rework rate').locator('svg.recharts-surface').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await screenshot(page, 'trends-07-narrow');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
