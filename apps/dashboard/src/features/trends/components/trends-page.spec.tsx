import type { ComparedPeriod, DoraComparison, DoraMetrics, DoraPerformers, DoraSettings, PerformersMonth } from '@dora/domain';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { timeRangeOf } from '../../../components/time-range-filter';
import { metricsWith, NO_METRICS, pointOf, seriesOf } from '../../../test/fixtures';
import { mockApi, renderAt } from '../../../test/render';
import { TrendsPage } from './trends-page';

const HOUR = 3_600;
const routes = [{ path: '/:slug/_admin/dora/trends', element: <TrendsPage /> }];
const settings = (basis: DoraSettings['lead_time_basis']): DoraSettings => ({ window_days: 30, timezone: 'UTC', lead_time_basis: basis, max_token_lifetime_days: null });
const withLeadTime = (metrics: DoraMetrics, perDeployment: number, perChange: number): DoraMetrics => ({
  ...metrics,
  lead_time: {
    ...NO_METRICS.lead_time,
    p50_seconds: perDeployment,
    sample: 3,
    band: 'elite',
    per_change: { ...NO_METRICS.lead_time.per_change, p50_seconds: perChange, sample: 7, deployments_with_changes: 3, band: 'high' },
  },
});

/** A day of `n` successful deploys: its frequency is its count. */
const dayOf = (n: number): DoraMetrics => ({ ...metricsWith(n), deployment_frequency: { value: n, successes: n, band: 'elite' } });

// Three days, two weeks or two months (the API answers 30, 12 and 12): the last one not over yet.
const series = {
  day: seriesOf('day', [
    pointOf('2026-11-23', '2026-11-24T00:00:00.000Z', dayOf(2)),
    pointOf('2026-11-24', '2026-11-25T00:00:00.000Z', withLeadTime(dayOf(3), 2 * HOUR, 30 * HOUR)),
    pointOf('2026-11-25', '2026-11-25T10:00:00.000Z', NO_METRICS, true),
  ]),
  week: seriesOf('week', [pointOf('2026-11-16', '2026-11-23T00:00:00.000Z', metricsWith(12)), pointOf('2026-11-23', '2026-11-25T10:00:00.000Z', metricsWith(5), true)]),
  month: seriesOf('month', [pointOf('2026-10-01', '2026-11-01T00:00:00.000Z', metricsWith(40)), pointOf('2026-11-01', '2026-11-25T10:00:00.000Z', metricsWith(30), true)]),
};

const period = (name: ComparedPeriod['period'], current: DoraMetrics, baseline: DoraMetrics, change: Partial<ComparedPeriod['change']>): ComparedPeriod => ({
  period: name,
  current: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-25T10:00:00.000Z', days: 24.4, ...current },
  baseline: { from: '2026-10-01T00:00:00.000Z', to: '2026-10-25T10:00:00.000Z', days: 24.4, ...baseline },
  change: {
    deployment_frequency: { absolute: null, relative: null },
    lead_time: { absolute: null, relative: null },
    lead_time_per_change: { absolute: null, relative: null },
    change_failure_rate: { absolute: null, relative: null },
    time_to_restore: { absolute: null, relative: null },
    rework_rate: { absolute: null, relative: null },
    ...change,
  },
});
const comparison: DoraComparison = {
  org: 'acme',
  environment: 'production',
  repo: null,
  team: null,
  service: null,
  timezone: 'UTC',
  as_of: '2026-11-25T10:00:00.000Z',
  periods: [
    period('month_to_date', NO_METRICS, NO_METRICS, {}),
    // 60 deploys over 30 days against 30; the failure rate up from 0 to 10 %.
    period('last_month', { ...metricsWith(60), change_failure_rate: { value: 0.1, failed: 6, total: 60, band: 'high' } }, metricsWith(30), {
      deployment_frequency: { absolute: 1, relative: 1 },
      change_failure_rate: { absolute: 0.1, relative: null },
    }),
    period('month_before', NO_METRICS, NO_METRICS, {}),
    period('last_180_days', NO_METRICS, NO_METRICS, {}),
  ],
};

const counts = (elite: number, high: number, medium: number, low: number, no_data: number) => ({ elite, high, medium, low, no_data });
const month = (name: string, partial: boolean, counted: number, frequency: ReturnType<typeof counts>): PerformersMonth => ({
  month: name,
  from: `${name}-01T00:00:00.000Z`,
  to: `${name}-28T00:00:00.000Z`,
  partial,
  counted,
  metrics: { deployment_frequency: frequency, lead_time: counts(0, 0, 0, 0, counted), change_failure_rate: counts(counted, 0, 0, 0, 0), time_to_restore: counts(0, 0, 0, 0, counted) },
});
const performers = (by: 'repo' | 'team'): DoraPerformers => ({
  org: 'acme',
  environment: 'production',
  repo: null,
  team: null,
  service: null,
  timezone: 'UTC',
  by,
  basis: 'change',
  months: by === 'repo' ? [month('2026-10', false, 3, counts(1, 1, 0, 1, 0)), month('2026-11', true, 2, counts(2, 0, 0, 0, 0))] : [month('2026-10', false, 1, counts(0, 1, 0, 0, 0)), month('2026-11', true, 1, counts(1, 0, 0, 0, 0))],
});

const api = (overrides: Record<string, unknown> = {}) =>
  mockApi({
    '/api/v1/orgs/acme/dora/environments': { items: [{ environment: 'production', deployments: 44, last_deployed_at: comparison.as_of }] },
    '/api/v1/orgs/acme/dora/settings': settings('deployment'),
    '/api/v1/orgs/acme/dora/series': (_init: unknown, url: URL) => ({ status: 200, body: series[(url.searchParams.get('interval') ?? 'day') as keyof typeof series] }),
    '/api/v1/orgs/acme/dora/comparison': comparison,
    '/api/v1/orgs/acme/dora/performers': (_init: unknown, url: URL) => ({ status: 200, body: performers(url.searchParams.get('by') as 'repo' | 'team') }),
    ...overrides,
  });

/** A chart's table of numbers, opened as a reader would: its rows' text, cell by cell. */
function numbersOf(chartName: string) {
  const chart = screen.getByRole('region', { name: chartName });
  fireEvent.click(within(chart).getByText('The numbers'));
  return within(chart)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.children].map((cell) => cell.textContent));
}

/** Where a link leads, with its From and To read as the Deployments page reads them (local date-times, whatever the time zone). */
function targetOf(link: HTMLElement) {
  const url = new URL(link.getAttribute('href')!, 'http://localhost');
  const filters = Object.fromEntries(url.searchParams);
  return { path: url.pathname, filters: JSON.parse(JSON.stringify({ ...filters, ...timeRangeOf(url.searchParams) })) as Record<string, string> };
}

describe('TrendsPage', () => {
  it('draws each metric over the last 30 days with each point’s value, band and sample, and the way to its deployments', async () => {
    const calls = api();
    renderAt('/acme/_admin/dora/trends', routes);
    expect(screen.getByText('Loading the trends…').getAttribute('role')).toBe('status');
    const frequency = await screen.findByRole('region', { name: 'Deployment frequency' });
    expect(within(frequency).getByRole('group', { name: /^Deployment frequency, last 3 days: hover/ })).toBeTruthy();
    expect(numbersOf('Deployment frequency')).toEqual([
      ['23 Nov 2026', '2/day', 'Elite', '2 successful deploys', 'Deployments'],
      ['24 Nov 2026', '3/day', 'Elite', '3 successful deploys', 'Deployments'],
      ['25 Nov 2026 (partial)', 'none', 'Low', '0 successful deploys', 'Deployments'],
    ]);
    expect(numbersOf('Lead time for changes (per deployment)')[1]).toEqual(['24 Nov 2026', '2 h', 'Elite', 'p95 — · 3 deploys measured', 'Deployments']);
    expect(within(screen.getByRole('region', { name: 'Time to restore' })).getByText('Nothing to measure in these 3 days.')).toBeTruthy();
    expect(within(frequency).queryByText(/Nothing to measure/)).toBeNull();
    expect(numbersOf('Rework rate')[0]).toEqual(['23 Nov 2026', '—', '0 of 0 deploys were rework', 'Deployments']); // no band column
    expect(targetOf(within(frequency).getByRole('link', { name: 'Deployments behind 24 Nov 2026' }))).toEqual({
      path: '/acme/_admin/dora/deployments',
      filters: { success: 'true', from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z' },
    });
    expect(screen.getByRole('button', { name: 'Day' }).getAttribute('aria-pressed')).toBe('true');
    expect(calls.map((c) => c.path)).toContain('/api/v1/orgs/acme/dora/series?environment=production&days=30');
    expect(screen.getByRole('link', { name: 'Download the daily series (CSV)' }).getAttribute('href')).toBe('/api/v1/orgs/acme/dora/series.csv?environment=production&days=30');
  });

  it('switches to 12 weeks or 12 months, keeping the choice in the URL', async () => {
    const calls = api();
    const { router } = renderAt('/acme/_admin/dora/trends', routes);
    await screen.findByRole('region', { name: 'Deployment frequency' });

    fireEvent.click(screen.getByRole('button', { name: 'Week' }));
    expect(await screen.findByRole('group', { name: /^Deployment frequency, last 2 weeks/ })).toBeTruthy();
    expect(router.state.location.search).toBe('?interval=week');
    expect(calls.map((c) => c.path)).toContain('/api/v1/orgs/acme/dora/series?environment=production&interval=week&periods=12');
    expect(numbersOf('Deployment frequency').map((row) => row.slice(0, 3))).toEqual([
      ['Week of 16 Nov 2026', '2.8/week', 'High'],
      ['Week of 23 Nov 2026 (partial)', '1.2/week', 'High'],
    ]);
    expect(screen.getByRole('link', { name: 'Download the weekly series (CSV)' }).getAttribute('href')).toBe(
      '/api/v1/orgs/acme/dora/series.csv?environment=production&interval=week&periods=12',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Month' }));
    expect(await screen.findByRole('group', { name: /^Deployment frequency, last 2 months/ })).toBeTruthy();
    expect(router.state.location.search).toBe('?interval=month');
    expect(screen.getByRole('button', { name: 'Month' }).getAttribute('aria-pressed')).toBe('true');

    fireEvent.click(screen.getByRole('button', { name: 'Day' }));
    expect(await screen.findByRole('group', { name: /^Deployment frequency, last 3 days/ })).toBeTruthy();
    expect(router.state.location.search).toBe('');
  });

  it('draws lead time as the org counts it, and marks the metric it was opened for', async () => {
    api({ '/api/v1/orgs/acme/dora/settings': settings('change') });
    renderAt('/acme/_admin/dora/trends?metric=lead_time', routes);
    const leadTime = await screen.findByRole('region', { name: 'Lead time for changes (per change)' });
    expect(leadTime.className).toContain('highlighted');
    expect(screen.getByRole('region', { name: 'Deployment frequency' }).className).not.toContain('highlighted');
    expect(numbersOf('Lead time for changes (per change)')[1]!.slice(1, 4)).toEqual(['1.3 days', 'High', 'p95 — · 7 commits in 3 deploys']);
  });

  it('narrows everything to the environment and team of the URL, and the links to the deployments too', async () => {
    const calls = api({ '/api/v1/orgs/acme/teams': { items: [{ slug: 'web', name: 'Web team', rules: 1, created_at: comparison.as_of, updated_at: comparison.as_of }] } });
    renderAt('/acme/_admin/dora/trends?environment=staging&team=web&interval=week', routes);
    const frequency = await screen.findByRole('region', { name: 'Deployment frequency' });
    expect(await screen.findByRole('table', { name: 'Compared' })).toBeTruthy();
    expect(calls.map((c) => c.path)).toEqual(
      expect.arrayContaining([
        '/api/v1/orgs/acme/dora/series?environment=staging&team=web&interval=week&periods=12',
        '/api/v1/orgs/acme/dora/comparison?environment=staging&team=web',
        '/api/v1/orgs/acme/dora/performers?environment=staging&team=web&months=6&by=repo',
      ]),
    );
    // The week not over yet is open-ended.
    expect(targetOf(within(frequency).getByRole('link', { name: 'Deployments behind Week of 23 Nov 2026' }))).toEqual({
      path: '/acme/_admin/dora/deployments',
      filters: { environment: 'staging', team: 'web', success: 'true', from: '2026-11-23T00:00:00.000Z' },
    });
    expect(screen.queryByRole('group', { name: 'Window' })).toBeNull();
    expect((await screen.findByLabelText<HTMLSelectElement>('Team')).value).toBe('web');
  });

  it('compares each period with its baseline, saying which changes are better and which worse', async () => {
    api();
    renderAt('/acme/_admin/dora/trends', routes);
    const table = await screen.findByRole('table', { name: 'Compared' });
    const periods = [...table.querySelectorAll('tbody')];
    expect(periods.map((p) => p.querySelector('th')!.textContent)).toEqual([
      'Month to date 1 Nov 2026 – 25 Nov 2026 vs 1 Oct 2026 – 25 Oct 2026',
      'Last month 1 Nov 2026 – 25 Nov 2026 vs 1 Oct 2026 – 25 Oct 2026',
      'The month before 1 Nov 2026 – 25 Nov 2026 vs 1 Oct 2026 – 25 Oct 2026',
      'Last 180 days 1 Nov 2026 – 25 Nov 2026 vs 1 Oct 2026 – 25 Oct 2026',
    ]);
    const row = (figure: string) => within(periods[1]!).getByRole('row', { name: new RegExp(`^${figure}`) });
    const cells = (figure: string) => within(row(figure)).getAllByRole('cell');
    expect(cells('Deployment frequency').map((c) => c.textContent)).toEqual(['2/day', '1/day', '+1/day (better)', '+100%']);
    expect(cells('Deployment frequency')[2]!.className).toBe('better');
    expect(cells('Change-failure rate').map((c) => c.textContent)).toEqual(['10%', '0%', '+10 pp (worse)', '—']);
    // No relative change from 0: nothing to colour.
    expect(cells('Change-failure rate').map((c) => c.className)).toEqual(['', '', 'worse', '']);
    expect(cells('Time to restore').map((c) => [c.textContent, c.className])).toEqual([
      ['—', ''],
      ['—', ''],
      ['—', ''],
      ['—', ''],
    ]);
    expect(within(periods[1]!).getAllByRole('row')).toHaveLength(7); // the period, then its six figures
    expect(screen.getByRole('link', { name: 'Download the comparison (CSV)' }).getAttribute('href')).toBe('/api/v1/orgs/acme/dora/comparison.csv?environment=production');
  });

  it('counts the repos, or the teams, in each band month by month', async () => {
    const calls = api();
    const { router } = renderAt('/acme/_admin/dora/trends', routes);
    await screen.findByRole('region', { name: 'Deployment frequency, repos per band' });
    expect(screen.getByRole('region', { name: 'Lead time for changes (per change), repos per band' })).toBeTruthy();
    expect(numbersOf('Deployment frequency, repos per band')).toEqual([
      ['Oct 2026', '1', '1', '0', '1', '0'],
      ['Nov 2026 (partial)', '2', '0', '0', '0', '0'],
    ]);
    expect(screen.getByRole('link', { name: 'Download the performers (CSV)' }).getAttribute('href')).toBe('/api/v1/orgs/acme/dora/performers.csv?environment=production&months=6&by=repo');

    fireEvent.click(screen.getByRole('button', { name: 'By team' }));
    await screen.findByRole('region', { name: 'Deployment frequency, teams per band' });
    expect(router.state.location.search).toBe('?by=team');
    expect(calls.map((c) => c.path)).toContain('/api/v1/orgs/acme/dora/performers?environment=production&months=6&by=team');
    expect(numbersOf('Deployment frequency, teams per band')[0]).toEqual(['Oct 2026', '0', '1', '0', '0', '0']);
    expect(screen.getByText(/deployments of no team are left out/)).toBeTruthy();
  });

  it('says which part could not be loaded, and shows the others', async () => {
    const unavailable = () => ({ status: 503, body: { error: { code: 'database_unavailable', message: 'The database is not reachable' } } });
    api({ '/api/v1/orgs/acme/dora/series': unavailable, '/api/v1/orgs/acme/dora/performers': unavailable });
    renderAt('/acme/_admin/dora/trends', routes);
    expect(await screen.findByText('Could not load the trends: The database is not reachable')).toBeTruthy();
    expect(await screen.findByText('Could not load the performers: The database is not reachable')).toBeTruthy();
    expect(screen.getAllByRole('alert')).toHaveLength(2);
    expect(await screen.findByRole('table', { name: 'Compared' })).toBeTruthy();
  });

  it('tells an org without deployments how to send the first one', async () => {
    api({ '/api/v1/orgs/acme/dora/environments': { items: [] } });
    renderAt('/acme/_admin/dora/trends', routes);
    expect(await screen.findByRole('heading', { name: 'No deployments yet' })).toBeTruthy();
  });
});
