import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));

/** Debian's Chromium, headless, with the flags these machines need (a closed network; running as root). */
export async function launchChromium(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does`);
  await mkdir(SCREENSHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(await mkdtemp(join(tmpdir(), 'chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    viewport: { width: 1280, height: 900 },
  });
  // Every action and wait is for a condition; on CI's busiest stage (the whole suite in parallel beside two
  // busy loops) one has taken over Playwright's default 30 s.
  context.setDefaultTimeout(120_000);
  return context;
}

/** The README's pictures, remade by every run of the browser tests (commit them when they change). */
export const README_SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

export async function readmeScreenshot(page: Page, title: string, { fullPage = false } = {}): Promise<void> {
  await mkdir(README_SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(README_SCREENSHOTS, `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.png`), animations: 'disabled', caret: 'hide', fullPage });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
