/* global document */ // used inside the page, in Chromium
// The dashboard route's weight and speed: the JavaScript a first visit to /{slug}/_admin/dora loads
// (gzipped, from Vite's manifest), and the time until the page is fully rendered with data in
// Chromium on localhost (navigation start → the summary line, five cards with values and their
// sparklines, the 12-week trends and the last 24 hours), 20 loads.
//   node tools/bench/dashboard/run.mjs
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { percentile, ROOT, startApi } from '../lib.mjs';

const RUNS = 20;
const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], { cwd: ROOT, stdio: 'ignore' });
if (build.status !== 0) throw new Error('the build failed');

// What the route loads: the entry and its static imports, then the page chunk and its static imports.
const dist = join(ROOT, 'apps/dashboard/dist');
const manifest = JSON.parse(await readFile(join(dist, '.vite/manifest.json'), 'utf8'));
const files = new Set();
const add = (key) => {
  const chunk = manifest[key];
  if (!chunk || files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const imported of chunk.imports ?? []) add(imported);
};
add('index.html');
add(Object.keys(manifest).find((key) => key.endsWith('dora-page.tsx')));
let gzipped = 0;
let raw = 0;
for (const file of files) {
  const bytes = await readFile(join(dist, file));
  raw += bytes.length;
  gzipped += gzipSync(bytes, { level: 9 }).length;
}

const dataDir = await mkdtemp(join(tmpdir(), 'dora-bench-dashboard-'));
const api = await startApi({ DORA_DATA_DIR: dataDir }, { firstStart: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
try {
  const { token, password } = api.firstStart;
  const now = Date.now();
  for (let i = 0; i < 300; i++) {
    const at = now - (i % 30) * 86_400_000 - (i % 7) * 3_600_000;
    await fetch(`${api.url}/api/v1/dora/deployments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        repo_full_name: `demo/repo-${i % 12}`,
        environment: 'production',
        deployed_at: new Date(at).toISOString(),
        commit_sha: 'abcdef1234',
        committed_at: new Date(at - 5_400_000).toISOString(),
        success: i % 17 !== 0,
        is_rework: i % 23 === 0,
      }),
    });
  }
  const login = await fetch(`${api.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.local', password }) });
  const cookie = login.headers.get('set-cookie').split(';')[0].split('=');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: cookie[0], value: cookie[1], url: api.url }]);
  const page = await context.newPage();
  const rendered = async () => {
    await page.goto(`${api.url}/demo/_admin/dora`);
    // Fully rendered: the summary line, five values and five drawn sparklines, four drawn weekly trends, the
    // last 24 hours' deployments, and nothing still loading.
    return page.waitForFunction(
      () =>
        document.querySelector('.org-summary a, .org-summary:not([aria-busy])') &&
        document.querySelectorAll('article .value').length === 5 &&
        document.querySelectorAll('article .sparkline path.recharts-curve').length === 5 &&
        document.querySelectorAll('.weekly-trend svg.week-chart').length === 4 &&
        document.querySelector('table.recent-deployments tbody tr') &&
        !document.querySelector('[aria-busy="true"], .skeleton') &&
        performance.now(),
    ).then((handle) => handle.jsonValue());
  };
  await rendered(); // warm-up: browser cache, API, database
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(await rendered());
  if (process.env.BENCH_DEBUG) {
    console.log(await page.evaluate(() => performance.getEntriesByType('resource').map((e) => `${Math.round(e.startTime)}+${Math.round(e.duration)} ${e.name.replace(/^https?:\/\/[^/]+/, '')}`).join('\n')));
  }
  times.sort((a, b) => a - b);
  console.log(
    JSON.stringify(
      {
        dashboard_route_js: { files: files.size, raw_kb: Math.round(raw / 102.4) / 10, gzip_kb: Math.round(gzipped / 102.4) / 10 },
        rendered_with_data_ms: { p50: Math.round(percentile(times, 50)), p95: Math.round(percentile(times, 95)), runs: RUNS },
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  await api.stop();
  await rm(dataDir, { recursive: true, force: true });
}
