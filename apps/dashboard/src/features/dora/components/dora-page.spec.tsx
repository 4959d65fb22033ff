import type { DoraMetrics, DoraSummary } from '@dora/domain';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { metricsWith, summaryOf } from '../../../test/fixtures';
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
});

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
    expect(screen.getByRole('link', { name: /Deployment frequency: 1.4\/day, by repo/ }).getAttribute('href')).toBe('/acme/_admin/dora/repos?window=30&sort=deployment_frequency');
    expect(screen.getByRole('link', { name: 'Deployment frequency: trend' }).getAttribute('href')).toBe('/acme/_admin/dora/trends?metric=deployment_frequency');
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
    expect(screen.getByRole('link', { name: 'Change-failure rate: trend' }).getAttribute('href')).toBe('/acme/_admin/dora/trends?team=web&metric=change_failure_rate');

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
