import type { ServiceMetrics } from '@dora/domain';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { emptySeries, metricsWith, summaryOf } from '../../../test/fixtures';
import { mockApi, renderAt } from '../../../test/render';
import { TeamPage } from './team-page';

const team = { slug: 'shop', name: 'Shop team', rules: 2, created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z' };
const service = (repo: string, name: string | null, successes: number): ServiceMetrics => ({ repo_full_name: repo, service: name, team: 'shop', ...metricsWith(successes) });
const routes = [{ path: '/:slug/_admin/dora/teams/:team', element: <TeamPage /> }];

describe('TeamPage', () => {
  it('shows the team’s cards and the repos and services its deployments come from', async () => {
    const calls = mockApi({
      '/api/v1/orgs/acme/teams/shop': team,
      '/api/v1/orgs/acme/dora/summary': (_init, url) => ({ status: 200, body: summaryOf(metricsWith(url.searchParams.get('team') === 'shop' ? 7 : 40), { team: 'shop' }) }),
      '/api/v1/orgs/acme/dora/series': emptySeries,
      '/api/v1/orgs/acme/dora/services': { items: [service('acme/mono', 'checkout', 4), service('acme/tools', null, 3)], next_cursor: null },
    });
    // A `team` left in the URL by another page does not narrow this one.
    renderAt('/acme/_admin/dora/teams/shop?window=30&team=web', routes);
    expect(await screen.findByRole('heading', { name: 'Shop team' })).toBeTruthy();
    expect(within(await screen.findByRole('article', { name: 'Deployment frequency' })).getByText('7 successful deploys')).toBeTruthy();
    expect(screen.getByText(/2 rules/)).toBeTruthy();

    const table = within(await screen.findByRole('region', { name: 'The team’s repositories' })).getByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => [within(r).getByRole('rowheader').textContent, within(r).getAllByRole('cell')[0]!.textContent])).toEqual([
      ['acme/mono', 'checkout'],
      ['acme/tools', 'no service'],
    ]);
    expect(within(rows[0]!).getByRole('link', { name: 'acme/mono' }).getAttribute('href')).toBe('/acme/_admin/dora/repos/acme/mono?window=30&team=shop');
    expect(screen.getByRole('link', { name: 'Its deployments' }).getAttribute('href')).toBe('/acme/_admin/dora/deployments?team=shop');
    expect(calls.map((c) => c.path)).toEqual(
      expect.arrayContaining([
        '/api/v1/orgs/acme/dora/summary?environment=production&team=shop&window=30',
        '/api/v1/orgs/acme/dora/services?environment=production&team=shop&window=30&sort=repo_full_name',
      ]),
    );
  });

  it('says when the org has no such team', async () => {
    mockApi({ '/api/v1/orgs/acme/teams/gone': () => ({ status: 404, body: { error: { code: 'not_found', message: 'No team "gone" in the org acme' } } }) });
    renderAt('/acme/_admin/dora/teams/gone', routes);
    expect(await screen.findByRole('heading', { name: 'No such team' })).toBeTruthy();
    expect(screen.queryByRole('article')).toBeNull();
    expect(screen.getByRole('link', { name: '← All teams' }).getAttribute('href')).toBe('/acme/_admin/dora/teams');
  });
});
