import type { DoraMetrics, DoraSummary } from '@dora/domain';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { formatDateTime } from '../../../lib/format';
import { deploymentOf, metricsWith, NO_METRICS, pointOf, seriesOf, summaryOf } from '../../../test/fixtures';
import { mockApi, renderAt } from '../../../test/render';
import { DoraPage } from './dora-page';

const empty: DoraMetrics = {
  deployment_frequency: { value: 0, successes: 0, band: 'low' },
  lead_time: { p50_seconds: null, p95_seconds: null, sample: 0, without_commit: 0, excluded_negative: 0, band: null, per_change: { p50_seconds: null, p95_seconds: null, sample: 0, excluded_negative: 0, deployments_with_changes: 0, band: null } },
  change_failure_rate: { value: null, failed: 0, total: 0, band: null },
  time_to_restore: { median_seconds: null, restored: 0, open: 0, oldest_open_seconds: null, band: null },
  rework_rate: { value: null, rework: 0, total: 0, band: null },
};
const window = { days: 30, from: '2026-10-27T10:00:00.000Z', to: '2026-11-26T10:00:00.000Z' };
const summary: DoraSummary = {
  org: 'acme',
  environment: 'production',
  repo: null,
  team: null,
  service: null,
  band_set: 'dora-2023',
  window,
  ...empty,
  deployment_frequency: { value: 1.4, successes: 42, band: 'elite' },
  previous: { window, ...empty },
};
const api = (environments: { environment: string; deployments: number; last_deployed_at: string }[]) => ({
  '/api/v1/orgs/acme/dora/summary': summary,
  '/api/v1/orgs/acme/dora/series': { org: 'acme', environment: 'production', repo: null, team: null, service: null, timezone: 'UTC', points: [] },
  '/api/v1/orgs/acme/dora/environments': { items: environments },
  '/api/v1/orgs/acme/dora/deployments': { items: [], next_cursor: null },
});
const production = [{ environment: 'production', deployments: 44, last_deployed_at: window.to }];
const renderPage = (url = '/acme/_admin/dora') => renderAt(url, [{ path: '/:slug/_admin/dora', element: <DoraPage /> }]);

/** 12 weeks from Monday 31 Aug 2026: week i has 2i successful deploys (none in the first: Low; then High, Elite from the 4th) and i failures out of 2i + i. */
const weeks = seriesOf(
  'week',
  Array.from({ length: 12 }, (_, i) => {
    const date = new Date(Date.UTC(2026, 7, 31 + 7 * i)).toISOString().slice(0, 10);
    const to = new Date(Date.UTC(2026, 7, 31 + 7 * (i + 1))).toISOString();
    const successes = 2 * i;
    return pointOf(
      date,
      to,
      {
        ...NO_METRICS,
        deployment_frequency: { value: successes / 7, successes, band: successes === 0 ? 'low' : successes >= 7 ? 'elite' : 'high' },
        change_failure_rate: i === 0 ? NO_METRICS.change_failure_rate : { value: i / (3 * i), failed: i, total: 3 * i, band: 'low' },
      },
      i === 11,
    );
  }),
);

describe('DoraPage', () => {
  it('shows the five cards for the window the API used', async () => {
    const calls = mockApi(api([{ environment: 'production', deployments: 44, last_deployed_at: window.to }]));
    renderAt('/acme/_admin/dora?window=30', [{ path: '/:slug/_admin/dora', element: <DoraPage /> }]);
    expect(await screen.findByText('1.4/day')).toBeTruthy();
    expect(screen.getAllByRole('article').map((card) => card.getAttribute('aria-label'))).toEqual([
      'Deployment frequency',
      'Lead time for changes',
      'Change-failure rate',
      'Time to restore',
      'Rework rate',
    ]);
    expect(screen.getByRole('button', { name: '30d' }).getAttribute('aria-pressed')).toBe('true');
    expect(calls.map((c) => c.path)).toContain('/api/v1/orgs/acme/dora/summary?environment=production&window=30');
    // Worst first: the repos pulling deployment frequency down (the lowest) lead.
    expect(screen.getByRole('link', { name: /Deployment frequency: 1.4\/day .*, by repo/ }).getAttribute('href')).toBe('/acme/_admin/dora/repos?window=30&sort=deployment_frequency');
    expect(screen.getByRole('link', { name: 'Deployment frequency: Trend' }).getAttribute('href')).toBe('/acme/_admin/dora/trends?metric=deployment_frequency');
    // Above the cards, the org in a line: only deployment frequency has a band here.
    expect(document.querySelector('.org-summary')!.textContent).toBe('1 of 4 metrics Elite; lead time not measured; change-failure rate not measured; no failures to restore');
  });

  it('sums the org up above the cards, its worst metric linked to that metric’s repos, worst first', async () => {
    mockApi({
      ...api(production),
      // Elite but for the failure rate: 28 of 120 deployments (23 %) failed or were rework, Low.
      '/api/v1/orgs/acme/dora/summary': summaryOf({
        ...metricsWith(92),
        lead_time: { ...NO_METRICS.lead_time, p50_seconds: 3600, p95_seconds: 7200, sample: 90, band: 'elite' },
        change_failure_rate: { value: 28 / 120, failed: 28, total: 120, band: 'low' },
        time_to_restore: { median_seconds: 1200, restored: 28, open: 0, oldest_open_seconds: null, band: 'elite' },
      }),
    });
    renderPage('/acme/_admin/dora?window=30');
    const link = await screen.findByRole('link', { name: 'change-failure rate Low — 28 of 120 deployments failed or were rework' });
    expect(link.getAttribute('href')).toBe('/acme/_admin/dora/repos?window=30&sort=-change_failure_rate');
    const line = link.closest('p')!;
    expect(line.textContent).toBe('3 of 4 metrics Elite; change-failure rate Low — 28 of 120 deployments failed or were rework');
    // Above the cards.
    expect(line.compareDocumentPosition(screen.getAllByRole('article')[0]!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('says when the window has no deployments at all', async () => {
    mockApi({ ...api(production), '/api/v1/orgs/acme/dora/summary': summaryOf(NO_METRICS) });
    renderPage();
    expect(await screen.findByText('No deployments in the last 30 days')).toBeTruthy();
  });

  it('draws the banded metrics over the last 12 weeks below the cards, each with its weeks and bands in words and a link to its trend', async () => {
    const calls = mockApi({
      ...api(production),
      '/api/v1/orgs/acme/dora/series': (_init, url) => ({ status: 200, body: url.searchParams.get('interval') === 'week' ? weeks : seriesOf('day', []) }),
    });
    renderPage('/acme/_admin/dora?team=web');
    const section = await screen.findByRole('region', { name: 'Change-failure rate, last 12 weeks' });
    expect(calls.map((c) => c.path)).toContain('/api/v1/orgs/acme/dora/series?environment=production&team=web&interval=week&periods=12');
    // Four charts, none of them a card (the cards stay the five articles).
    expect(screen.getAllByRole('region', { name: /, last 12 weeks$/ }).map((r) => r.getAttribute('aria-label'))).toEqual([
      'Deployment frequency, last 12 weeks',
      'Lead time for changes (per deployment), last 12 weeks',
      'Change-failure rate, last 12 weeks',
      'Time to restore, last 12 weeks',
    ]);
    expect(screen.getAllByRole('article')).toHaveLength(5);
    expect(within(section).getByRole('link', { name: 'Change-failure rate: Weekly trend' }).getAttribute('href')).toBe(
      '/acme/_admin/dora/trends?team=web&metric=change_failure_rate&interval=week',
    );
    // The text alternative: every week, its value and its band in words.
    const rows = (name: string) =>
      within(within(screen.getByRole('region', { name })).getByRole('table'))
        .getAllByRole('row')
        .slice(1)
        .map((row) => [...row.children].map((cell) => cell.textContent));
    const frequency = rows('Deployment frequency, last 12 weeks');
    expect(frequency).toHaveLength(12);
    expect(frequency[0]).toEqual(['Week of 31 Aug 2026', 'none', 'Low', '0 successful deploys']);
    expect(frequency[1]!.slice(1)).toEqual(['2/week', 'High', '2 successful deploys']);
    expect(frequency[11]).toEqual(['Week of 16 Nov 2026 (so far)', '3.1/day', 'Elite', '22 successful deploys']);
    expect(rows('Change-failure rate, last 12 weeks')[0]).toEqual(['Week of 31 Aug 2026', '—', 'Not enough data', '0 of 0 deploys failed or were rework']);
    expect(rows('Change-failure rate, last 12 weeks')[5]![2]).toBe('Low');
  });

  it('lists the deployments of the last 24 hours, each time relative with the exact time on hover, and links to all of them', async () => {
    const deployedAt = new Date(Date.now() - 3 * 3_600_000 - 60_000).toISOString();
    const calls = mockApi({
      ...api(production),
      '/api/v1/orgs/acme/dora/deployments': {
        items: [deploymentOf({ id: 'd1', repo_full_name: 'acme/api', success: false, is_rework: true, deployed_at: deployedAt, commit_sha: '0123456789abcdef' })],
        next_cursor: null,
      },
    });
    const before = Date.now();
    renderPage();
    const section = await screen.findByRole('region', { name: 'Last 24 hours' });
    const table = await within(section).findByRole('table');
    const cells = [...within(table).getAllByRole('row')[1]!.children].map((cell) => cell.textContent);
    expect(cells).toEqual(['acme/api', 'production', 'failed · rework', '01234567', '3 h ago']);
    expect(within(table).getByText('3 h ago').getAttribute('title')).toBe(formatDateTime(deployedAt));
    const request = new URL(calls.find((c) => c.path.startsWith('/api/v1/orgs/acme/dora/deployments?'))!.path, 'http://localhost');
    expect(Object.fromEntries(request.searchParams)).toEqual({ environment: 'production', from: expect.any(String), limit: '10' });
    const from = Date.parse(request.searchParams.get('from')!);
    expect(before - from).toBeGreaterThanOrEqual(86_400_000 - 5_000);
    expect(before - from).toBeLessThanOrEqual(86_400_000 + 5_000);
    const all = within(section).getByRole('link', { name: 'All deployments since then' }).getAttribute('href')!;
    expect(all).toMatch(/^\/acme\/_admin\/dora\/deployments\?from=\d{4}-\d{2}-\d{2}T\d{2}%3A\d{2}$/);
    // The deployments page reads From as local time: the same minute.
    expect(Math.abs(new Date(new URLSearchParams(all.split('?')[1]).get('from')!).getTime() - from)).toBeLessThan(60_000);
  });

  it('says when nothing was deployed in the last 24 hours', async () => {
    mockApi(api(production));
    renderPage();
    expect(await screen.findByText('No deployments in the last 24 hours.')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Last 24 hours' })).queryByRole('table')).toBeNull();
  });

  it('holds the places of the line, the cards, the charts and the list with skeletons while they load, without loading text', async () => {
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>(() => {})));
    renderPage();
    const container = document.body;
    const busy = await vi.waitFor(() => {
      const found = [...container.querySelectorAll('[aria-busy="true"]')];
      expect(found.length).toBeGreaterThanOrEqual(5);
      return found;
    });
    expect(busy.map((element) => element.className)).toEqual(['org-summary', 'window', 'cards', 'weekly-trends', 'recent-skeleton']);
    expect(busy.every((element) => element.querySelector('.skeleton'))).toBe(true);
    expect(container.querySelectorAll('.cards .card-skeleton')).toHaveLength(5);
    expect(container.querySelectorAll('.weekly-trends .weekly-trend')).toHaveLength(4);
    // No card, chart or row yet, and no visible "Loading…" to jump when they arrive (screen readers hear a status).
    expect(screen.queryAllByRole('article')).toHaveLength(0);
    const visibleText = [...container.querySelectorAll('main *')].filter((el) => !el.closest('.visually-hidden') && el.children.length === 0).map((el) => el.textContent);
    expect(visibleText.join(' ')).not.toMatch(/Loading/);
    expect(screen.getAllByRole('status').map((status) => status.textContent)).toEqual(['Loading the metrics', 'Loading the weekly trends', 'Loading the deployments']);
  });

  it('tells an org without deployments how to send the first one', async () => {
    mockApi(api([]));
    renderAt('/acme/_admin/dora', [{ path: '/:slug/_admin/dora', element: <DoraPage /> }]);
    expect(await screen.findByRole('heading', { name: 'No deployments yet' })).toBeTruthy();
    expect(screen.getByText(/repo_full_name":"acme\/web"/)).toBeTruthy();
    expect(screen.queryAllByRole('article')).toHaveLength(0);
  });

  it('says so when the metrics cannot be loaded', async () => {
    mockApi({ ...api([{ environment: 'production', deployments: 1, last_deployed_at: window.to }]), '/api/v1/orgs/acme/dora/summary': () => ({ status: 503, body: { error: { code: 'database_unavailable', message: 'The database is not reachable' } } }) });
    renderAt('/acme/_admin/dora', [{ path: '/:slug/_admin/dora', element: <DoraPage /> }]);
    expect((await screen.findByRole('alert')).textContent).toContain('The database is not reachable');
  });

  it('narrows the cards, their sparklines and the links to the team chosen, and keeps it in the URL', async () => {
    const calls = mockApi({
      ...api([{ environment: 'production', deployments: 44, last_deployed_at: window.to }]),
      '/api/v1/orgs/acme/teams': { items: [{ slug: 'web', name: 'Web team', rules: 1, created_at: window.from, updated_at: window.from }] },
      // 42 deploys in all, 6 of the web team's, 9 of no team.
      '/api/v1/orgs/acme/dora/summary': (_init, url) => {
        const team = url.searchParams.get('team');
        return { status: 200, body: summaryOf(metricsWith(team === 'web' ? 6 : team === 'unassigned' ? 9 : 42), { team }) };
      },
    });
    const { router } = renderAt('/acme/_admin/dora', [{ path: '/:slug/_admin/dora', element: <DoraPage /> }]);
    // A card shows the sample its number is of; the cards load again for each team.
    const frequencySample = async (text: string) => within(await screen.findByRole('article', { name: 'Deployment frequency' })).findByText(text);
    expect(await frequencySample('42 successful deploys')).toBeTruthy();
    const select = await screen.findByLabelText<HTMLSelectElement>('Team');
    expect([...select.options].map((o) => [o.value, o.text])).toEqual([
      ['', 'All teams'],
      ['web', 'Web team'],
      ['unassigned', 'Unassigned'],
    ]);

    fireEvent.change(select, { target: { value: 'web' } });
    expect(await frequencySample('6 successful deploys')).toBeTruthy();
    expect(router.state.location.search).toBe('?team=web');
    expect(screen.getByText(/· production · Web team$/)).toBeTruthy();
    expect(calls.map((c) => c.path)).toEqual(
      expect.arrayContaining(['/api/v1/orgs/acme/dora/summary?environment=production&team=web', '/api/v1/orgs/acme/dora/series?environment=production&team=web&days=30']),
    );
    expect(screen.getByRole('link', { name: /Deployment frequency: .*, by repo/ }).getAttribute('href')).toBe('/acme/_admin/dora/repos?team=web&sort=deployment_frequency');
    // The trend keeps the environment and the team, not the window: trends have their own periods.
    expect(screen.getByRole('link', { name: 'Change-failure rate: Trend' }).getAttribute('href')).toBe('/acme/_admin/dora/trends?team=web&metric=change_failure_rate');

    fireEvent.change(select, { target: { value: 'unassigned' } });
    expect(await frequencySample('9 successful deploys')).toBeTruthy();
    fireEvent.change(select, { target: { value: '' } });
    expect(await frequencySample('42 successful deploys')).toBeTruthy();
    expect(router.state.location.search).toBe('');
  });

  it('offers no team selector while the org has no teams', async () => {
    mockApi({ ...api([{ environment: 'production', deployments: 44, last_deployed_at: window.to }]), '/api/v1/orgs/acme/teams': { items: [] } });
    renderAt('/acme/_admin/dora', [{ path: '/:slug/_admin/dora', element: <DoraPage /> }]);
    expect(await screen.findByText('1.4/day')).toBeTruthy();
    expect(screen.queryByLabelText('Team')).toBeNull();
  });
});
