import type { TeamMetrics } from '@dora/domain';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { meAs, metricsWith, summaryOf } from '../../../test/fixtures';
import { mockApi, renderAt } from '../../../test/render';
import { TeamsPage } from './teams-page';

const row = (team: string | null, name: string | null, successes: number): TeamMetrics => ({ team, name, ...metricsWith(successes) });

function renderTeams(items: TeamMetrics[], role: 'admin' | 'viewer' = 'admin', url = '/acme/_admin/dora/teams') {
  const calls = mockApi({
    '/api/v1/auth/me': meAs(role),
    '/api/v1/orgs/acme/dora/summary': summaryOf(metricsWith(30)),
    '/api/v1/orgs/acme/dora/environments': { items: [] },
    '/api/v1/orgs/acme/dora/teams': { items },
  });
  const rendered = renderAt(url, [{ path: '/:slug/_admin/dora/teams', element: <TeamsPage /> }]);
  rendered.client.setQueryData(['me'], meAs(role));
  return { calls, ...rendered };
}

describe('TeamsPage', () => {
  it('shows every team’s metrics with their bands, and the unassigned deployments as a row of their own', async () => {
    renderTeams([row('shop', 'Shop team', 3), row('web', 'Web team', 30), row(null, null, 9)], 'admin', '/acme/_admin/dora/teams?window=30&environment=staging');
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Shop team', 'Web team', 'Unassigned']);
    expect(within(rows[1]!).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['1/day Elite', '— Not enough data', '0% Elite', '— Not enough data', '— ', '30']);
    expect(screen.getByRole('link', { name: 'Web team' }).getAttribute('href')).toBe('/acme/_admin/dora/teams/web?window=30&environment=staging');
    // Unassigned has no page: its link lists the deployments no rule matched.
    expect(screen.getByRole('link', { name: 'Unassigned' }).getAttribute('href')).toBe('/acme/_admin/dora/deployments?environment=staging&team=unassigned');
    expect(screen.getByRole('link', { name: 'Manage teams and rules' }).getAttribute('href')).toBe('/acme/_admin/dora/settings/teams');
    expect(screen.getByRole('link', { name: 'Download the teams (CSV)' }).getAttribute('href')).toBe('/api/v1/orgs/acme/dora/teams.csv?environment=staging&window=30&sort=team');
  });

  it('sorts by a column, then the other way round', async () => {
    const { calls, router } = renderTeams([row('web', 'Web team', 30), row(null, null, 9)]);
    fireEvent.click(await screen.findByRole('button', { name: 'Deployment frequency' }));
    expect(router.state.location.search).toBe('?sort=deployment_frequency');
    fireEvent.click(await screen.findByRole('button', { name: /Deployment frequency ▲/ }));
    expect(router.state.location.search).toBe('?sort=-deployment_frequency');
    expect((await screen.findByRole('columnheader', { name: /Deployment frequency/ })).getAttribute('aria-sort')).toBe('descending');
    expect(calls.map((c) => c.path).filter((p) => p.includes('/dora/teams'))).toEqual([
      '/api/v1/orgs/acme/dora/teams?environment=production&sort=team',
      '/api/v1/orgs/acme/dora/teams?environment=production&sort=deployment_frequency',
      '/api/v1/orgs/acme/dora/teams?environment=production&sort=-deployment_frequency',
    ]);
  });

  it('explains teams while the org has none, with the way to create one for an admin', async () => {
    renderTeams([row(null, null, 9)]);
    const intro = await screen.findByRole('region', { name: 'No teams yet' });
    expect(within(intro).getByText(/the first rule that matches a deployment decides its team/)).toBeTruthy();
    expect(within(intro).getByText(/"team":"payments"/)).toBeTruthy();
    expect(within(intro).getByRole('link', { name: 'Create the first team' }).getAttribute('href')).toBe('/acme/_admin/dora/settings/teams');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('tells a viewer that an admin creates teams', async () => {
    renderTeams([row(null, null, 9)], 'viewer');
    const intro = await screen.findByRole('region', { name: 'No teams yet' });
    expect(within(intro).getByText('An admin of this organisation creates teams and their rules.')).toBeTruthy();
    expect(screen.queryByRole('link', { name: /Create the first team|Manage teams/ })).toBeNull();
  });

  it('says so when the breakdown cannot be loaded', async () => {
    mockApi({ '/api/v1/orgs/acme/dora/teams': () => ({ status: 503, body: { error: { code: 'database_unavailable', message: 'The database is not reachable' } } }) });
    renderAt('/acme/_admin/dora/teams', [{ path: '/:slug/_admin/dora/teams', element: <TeamsPage /> }]);
    expect((await screen.findByRole('alert')).textContent).toBe('Could not load the teams: The database is not reachable');
  });
});
