import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot } from './browser.js';
import { cli, startService } from './server.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PASSWORD = 'e2e password, long enough';

/**
 * An admin's way through the dashboard, in Chromium, against the real service, its CLI and its
 * ingest API. The data make the five numbers known in advance:
 *  - web: 30 successful deploys, one a day, each 2 h after its head commit, shipping two older commits too
 *    (6 h and 10 h before it); one of them is rework.
 *  - api: 9 successful deploys without commit data, a failure 3 days ago and its fix 30 min later.
 *  → 40 successes in 30 days: 1.3/day (Elite). Lead time p50 2 h (Elite). 2 of 41 failed or rework:
 *    4.9 % (Elite). Time to restore 30 min (Elite). Rework 1 of 41: 2.4 %. Lead time per change: 90 commits,
 *    30 each at 2, 6 and 10 h: p50 6 h, p95 10 h (Elite).
 */
describe('the dashboard in a browser', () => {
  let service: Awaited<ReturnType<typeof startService>>;
  let browser: BrowserContext;
  let page: Page;
  const org = `e2e-${randomBytes(4).toString('hex')}`;
  const otherOrg = `${org}-other`;
  const admin = `admin@${org}.test`;

  beforeAll(async () => {
    service = await startService();
    await cli(service.env, 'orgs:create', org, '--name', 'E2E Org');
    await cli(service.env, 'orgs:create', otherOrg, '--name', 'Other Org');
    await cli(service.env, 'users:create', admin, '--org', org, '--role', 'admin', '--password', PASSWORD);
    const { secret } = (await cli(service.env, 'tokens:create', '--org', org, '--name', 'seed', '--scope', 'findings:write')) as { secret: string };
    await cli(service.env, 'tokens:create', '--org', otherOrg, '--name', 'secret-of-the-other-org', '--scope', 'dora:read');

    const now = Date.now();
    const deployments = [
      ...Array.from({ length: 30 }, (_, d) => ({
        repo_full_name: `${org}/web`,
        deployed_at: iso(now - d * DAY - 12 * HOUR),
        commit_sha: sha(d, 0),
        committed_at: iso(now - d * DAY - 14 * HOUR),
        commits: [0, 1, 2].map((k) => ({ sha: sha(d, k), committed_at: iso(now - d * DAY - (14 + 4 * k) * HOUR) })),
        is_rework: d === 4,
      })),
      ...Array.from({ length: 9 }, (_, d) => ({ repo_full_name: `${org}/api`, deployed_at: iso(now - (d + 1) * DAY - HOUR) })),
      { repo_full_name: `${org}/api`, deployed_at: iso(now - 3 * DAY - 2 * HOUR), success: false },
      { repo_full_name: `${org}/api`, deployed_at: iso(now - 3 * DAY - 90 * 60_000) },
    ];
    for (const [i, body] of deployments.entries()) {
      const res = await fetch(`${service.url}/api/v1/dora/deployments`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ environment: 'production', external_ref: `e2e-${i}`, ...body }),
      });
      expect(res.status).toBe(201);
    }
    browser = await launchChromium();
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('sends a stranger to sign in, and back to the page asked for afterwards', async () => {
    await page.goto(`${service.url}/${org}/_admin/dora`);
    await page.waitForURL(/\/login\?next=/);
    await screenshot(page, '01-login');
    await page.getByLabel('Email').fill(admin);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${service.url}/${org}/_admin/dora`);
  });

  it('shows the five cards with their values and bands', async () => {
    const card = (name: string) => page.getByRole('article', { name });
    await card('Deployment frequency').locator('.value', { hasText: '1.3/day' }).waitFor();
    const expected: [string, string, string][] = [
      ['Deployment frequency', '1.3/day', 'Elite'],
      ['Lead time for changes', '2 h', 'Elite'],
      ['Change-failure rate', '4.9%', 'Elite'],
      ['Time to restore', '30 min', 'Elite'],
      ['Rework rate', '2.4%', 'No DORA band'],
    ];
    for (const [name, value, band] of expected) {
      expect(await card(name).locator('.headline .value').textContent()).toBe(value);
      expect(await card(name).locator('.headline .badge').textContent()).toBe(band);
    }
    await expect(card('Lead time for changes').getByText('30 deploys measured', { exact: false }).count()).resolves.toBe(1);
    expect(await card('Lead time for changes').locator('.second-line').textContent()).toBe('Per change: 6 h Elite · p95 10 h · 90 commits in 30 deploys');
    await screenshot(page, '02-dora');
  });

  it("leads the lead time card with the per-change figure once the org's settings say so, the per-deployment one second", async () => {
    const card = page.getByRole('article', { name: 'Lead time for changes' });
    const chooseBasis = async (label: RegExp) => {
      await page.goto(`${service.url}/${org}/_admin/dora/settings`);
      await page.getByLabel(/Lead time headline/).selectOption({ label: (await page.getByRole('option', { name: label }).textContent())! });
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').getByText(/^Saved: /).waitFor();
      await page.goto(`${service.url}/${org}/_admin/dora`);
    };
    await chooseBasis(/^Per change/);
    await card.locator('.headline .value', { hasText: '6 h' }).waitFor();
    expect(await card.locator('.sample').textContent()).toBe('Per change · p95 10 h · 90 commits in 30 deploys');
    expect(await card.locator('.second-line').textContent()).toBe('Per deployment: 2 h Elite · p95 2 h · 30 deploys measured');
    await card.getByLabel('How lead time for changes is computed').click();
    await card.getByText(/^The headline, per change:/).waitFor();
    await card.getByText(/^The second line, per deployment:/).waitFor();
    await screenshot(page, '02b-lead-time-per-change');
    await chooseBasis(/^Per deployment/);
    await card.locator('.headline .value', { hasText: '2 h' }).waitFor();
  });

  it('shows the deployments behind a day of a sparkline, by mouse and by keyboard', async () => {
    const sparkline = page.getByRole('article', { name: 'Deployment frequency' }).locator('.sparkline');
    await sparkline.locator('[tabindex="0"]').first().waitFor(); // the chart, not its placeholder while the series loads
    const box = (await sparkline.boundingBox())!;
    // Yesterday's point, the second to last of 30: web deployed 12 h before each of the last 30 "now"s, so
    // yesterday always has one of them, today only after noon (UTC, the org's zone).
    await page.mouse.move(box.x + 8 + ((box.width - 16) * 28) / 29, box.y + box.height / 2);
    const tooltip = page.locator('.tooltip');
    await tooltip.getByText(`${org}/web`).first().waitFor();
    expect(await tooltip.locator('strong').textContent()).toMatch(/^\d{4}-\d{2}-\d{2}: \d+ deploys$/);
    await screenshot(page, '03-sparkline-hover');

    await page.mouse.move(0, 0);
    await sparkline.locator('[tabindex="0"]').first().focus();
    await page.keyboard.press('ArrowLeft');
    await tooltip.locator('strong').waitFor();
  });

  /** What a download link of the page answers (with the page's session), as lines. */
  const downloaded = async (name: RegExp) => {
    const href = (await page.getByRole('link', { name }).getAttribute('href'))!;
    const { status, type, text } = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    }, href);
    expect([status, type]).toEqual([200, 'text/csv; charset=utf-8; header=present']);
    return text.trim().split('\r\n');
  };

  it('opens the per-repo breakdown from a card, then one repo', async () => {
    await page.getByRole('link', { name: /Change-failure rate: 4.9% .*, by repo/ }).click();
    await page.waitForURL(/\/dora\/repos\?sort=-change_failure_rate/);
    const rows = page.locator('.table-scroll tbody tr');
    await rows.first().waitFor();
    // Worst first: api has the failure (1 of 11), web the rework (1 of 30).
    expect(await rows.locator('th').allTextContents()).toEqual([`${org}/api`, `${org}/web`]);
    await screenshot(page, '04-repos');
    const csv = (await downloaded(/Download all repositories \(CSV\)/)).map((line) => line.split(',')[0]);
    expect(csv).toEqual(['repo_full_name', `${org}/api`, `${org}/web`]); // the sort shown
    await page.getByRole('link', { name: `${org}/api` }).click();
    await page.getByRole('heading', { name: `${org}/api` }).waitFor();
    await page.getByRole('article', { name: 'Time to restore' }).locator('.value', { hasText: '30 min' }).waitFor();
    await page.locator('table.deployments tbody tr').first().waitFor();
    expect(await page.locator('table.deployments tbody tr').count()).toBe(11);
    const deployments = await downloaded(/Download all these deployments \(CSV\)/);
    expect(deployments).toHaveLength(12); // the header and the repo's 11
    expect(deployments.slice(1).every((line) => line.includes(`,${org}/api,`))).toBe(true);
    await screenshot(page, '05-repo');
  });

  it('changes the window', async () => {
    await page.goto(`${service.url}/${org}/_admin/dora`);
    await page.getByRole('button', { name: '7d' }).click();
    await page.waitForURL(/window=7/);
    await page.getByText(/^Last 7 days/).waitFor();
    // 7 web deploys and the api ones of the last week: 7 + 6 + 1 fix = 14 successes in 7 days.
    expect(await page.getByRole('article', { name: 'Deployment frequency' }).locator('.value').textContent()).toBe('2/day');
    await page.reload();
    expect(await page.getByRole('button', { name: '7d' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('mints a token (the secret shown once) and revokes it', async () => {
    await page.getByRole('link', { name: 'Tokens' }).click();
    await page.getByLabel('Name', { exact: true }).fill('e2e-token');
    await page.getByRole('button', { name: 'Mint token' }).click();
    const secret = await page.getByTestId('token-secret').textContent();
    expect(secret).toMatch(/^ffp_[0-9A-Za-z]{40}$/);
    await screenshot(page, '06-token-minted');
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'e2e-token' }) });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText(/^revoked /).waitFor();
    expect(await page.content()).not.toContain(secret!);
    const status = await fetch(`${service.url}/api/v1/dora/deployments`, { method: 'POST', headers: { Authorization: `Bearer ${secret}` } });
    expect(status.status).toBe(401);
  });

  it('rotates a token: the new secret once, the old one working until the grace period ends', async () => {
    await page.getByLabel('Name', { exact: true }).fill('e2e-rotated');
    await page.getByRole('button', { name: 'Mint token' }).click();
    const old = await page.getByTestId('token-secret').textContent();
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'e2e-rotated' }) });
    await row.first().getByRole('button', { name: 'Rotate' }).click();
    await page.getByLabel('Grace period (hours)').fill('2');
    await page.getByRole('button', { name: 'Rotate token' }).click();
    const secret = await page.getByTestId('token-secret').textContent();
    expect(secret).toMatch(/^ffp_[0-9A-Za-z]{40}$/);
    expect(secret).not.toBe(old);
    await screenshot(page, '06b-token-rotated');
    await page.getByRole('button', { name: 'Done' }).click();
    await row.getByText(/^rotated; works until /).waitFor();
    const ingest = (token: string | null) =>
      fetch(`${service.url}/api/v1/dora/deployments`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ repo_full_name: `${org}/rotated`, environment: 'staging', deployed_at: iso(Date.now()) }),
      });
    expect((await ingest(secret)).status).toBe(201);
    expect((await ingest(old)).status).toBe(201); // within its grace period
  });

  it('maps a Forgejo owner to the org on the Webhooks page', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByLabel('Forgejo owner (user or org login)').fill(org.toUpperCase());
    await page.getByRole('button', { name: 'Map owner' }).click();
    await page.getByRole('list', { name: 'Mapped Forgejo owners' }).getByText(org, { exact: true }).waitFor();
    // The form empties itself once the mapping is through: typing before that would be wiped.
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('input[placeholder="e.g. acme"]')?.value === '');
    await page.getByLabel('Forgejo owner (user or org login)').fill(org);
    await page.getByRole('button', { name: 'Map owner' }).click();
    await page.getByRole('alert').getByText(/already mapped to an org/).waitFor();
    await screenshot(page, '06c-forgejo-owners');
  });

  it('reads the audit log, newest first', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const actions = page.locator('main .table-scroll tbody tr td:nth-child(2)');
    await actions.first().waitFor();
    expect((await actions.allTextContents()).slice(0, 6)).toEqual([
      'forgejo.owner.mapped',
      'api.dora.deployments.ingested', // by the old secret, in its grace period
      'api.dora.deployments.ingested', // by the new one
      'auth.token.rotated',
      'auth.token.created',
      'auth.token.revoked',
    ]);
    await page.getByLabel('Action').selectOption('auth.login');
    await page.waitForURL(/action=auth.login/);
    await actions.first().getByText('auth.login').waitFor();
    await screenshot(page, '07-audit');
  });

  it("shows nothing of another org, even with its URL", async () => {
    await page.goto(`${service.url}/${otherOrg}/_admin/dora`);
    await page.getByRole('heading', { name: 'No such organisation' }).waitFor();
    expect(await page.locator('article').count()).toBe(0);
    expect(await page.content()).not.toContain('Other Org');
    await screenshot(page, '08-other-org');
  });

  it('works at 320 px wide', async () => {
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto(`${service.url}/${org}/_admin/dora`);
    await page.getByRole('article', { name: 'Rework rate' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await screenshot(page, '09-narrow');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${service.url}/${org}/_admin/dora`);
    await page.waitForURL(/\/login\?next=/);
  });

  it('asks for the org on the landing page, without listing any, and remembers the last one', async () => {
    await page.goto(`${service.url}/`);
    await page.getByRole('link', { name: `Continue to ${org}` }).waitFor();
    expect(await page.content()).not.toContain('Other Org');
    expect(await page.content()).not.toContain(otherOrg);
    await page.getByLabel('Organisation (slug)').fill('Not a slug!');
    await page.getByRole('button', { name: 'Go to sign-in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Organisation (slug)').fill(org.toUpperCase());
    await page.getByRole('button', { name: 'Go to sign-in' }).click();
    await page.waitForURL(/\/login\?next=/);
  });
});

/** The k-th commit shipped by web's deploy of d days ago (its head commit is k = 0). */
function sha(d: number, k: number): string {
  return `a1b2c3d4e5${String(d).padStart(2, '0')}${k}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
