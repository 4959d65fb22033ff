import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { deploymentOf } from '../../../test/fixtures';
import { mockApi, renderAt } from '../../../test/render';
import { DeploymentList } from './deployment-list';

describe('DeploymentList', () => {
  it('shows the service and the team of a deployment when it has them, and asks for the team chosen', async () => {
    const calls = mockApi({
      '/api/v1/orgs/acme/teams': { items: [{ slug: 'shop', name: 'Shop team', rules: 1, created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z' }] },
      '/api/v1/orgs/acme/dora/deployments': {
        items: [deploymentOf({ id: 'd1', repo_full_name: 'acme/mono', service: 'checkout', team: 'shop' }), deploymentOf({ id: 'd2', repo_full_name: 'acme/web' })],
        next_cursor: null,
      },
    });
    renderAt('/', [{ path: '/', element: <DeploymentList slug="acme" filter={{ environment: 'production', team: 'shop' }} /> }]);
    const table = await screen.findByRole('table');
    const headers = within(table).getAllByRole('columnheader').map((th) => th.textContent);
    const cell = (row: number, column: string) => within(within(table).getAllByRole('row')[row]!).getAllByRole('cell')[headers.indexOf(column)]!;
    expect(cell(1, 'Repository').firstChild!.textContent).toBe('acme/mono');
    // Folded into the repository's cell for narrow screens (styles.css shows one or the other).
    const folded = cell(1, 'Repository').querySelector('dl.folded')!;
    expect([...folded.children].map((item) => item.textContent)).toEqual([
      'Service checkout',
      'Team Shop team',
      'Reported by API token “ci”',
      `Received ${formatRelative('2026-11-25T10:00:01.000Z')}`,
    ]);
    expect(cell(1, 'Service').className).toContain('fold');
    expect(cell(1, 'Service').textContent).toBe('checkout');
    expect(await within(cell(1, 'Team')).findByRole('link', { name: 'Shop team' })).toBeTruthy();
    expect(within(cell(1, 'Team')).getByRole('link').getAttribute('href')).toBe('/acme/_admin/dora/teams/shop');
    expect([cell(2, 'Service').textContent, cell(2, 'Team').textContent]).toEqual(['—', '—']);
    // Times say how long ago; the exact time is on hover.
    const deployed = within(cell(1, 'Deployed')).getByText(formatRelative('2026-11-25T10:00:00.000Z'));
    expect([deployed.tagName, deployed.getAttribute('title'), deployed.getAttribute('datetime')]).toEqual(['TIME', formatDateTime('2026-11-25T10:00:00.000Z'), '2026-11-25T10:00:00.000Z']);
    expect(calls.map((c) => c.path)).toContain('/api/v1/orgs/acme/dora/deployments?environment=production&team=shop&limit=50');
    // All of them, not only the pages shown, with the same filter.
    expect(screen.getByRole('link', { name: 'Download all these deployments (CSV)' }).getAttribute('href')).toBe(
      '/api/v1/orgs/acme/dora/deployments.csv?environment=production&team=shop',
    );
  });

  it('says who reported each deployment: a token by name, a Forgejo delivery, or the operator\'s import', async () => {
    mockApi({
      '/api/v1/orgs/acme/teams': { items: [] },
      '/api/v1/orgs/acme/dora/deployments': {
        items: [
          deploymentOf({ id: 'd1', ingested_by: { type: 'token', id: 't1', name: 'ci' } }),
          deploymentOf({ id: 'd2', source: 'forgejo', ingested_by: { type: 'webhook', id: '0190f2c4-aaaa-7bbb-8ccc-dddddddddddd', name: 'forgejo' } }),
          deploymentOf({ id: 'd3', ingested_by: { type: 'operator', id: null, name: 'deployments:import' } }),
        ],
        next_cursor: null,
      },
    });
    renderAt('/', [{ path: '/', element: <DeploymentList slug="acme" filter={{ environment: 'production' }} /> }]);
    const table = await screen.findByRole('table');
    const headers = within(table).getAllByRole('columnheader').map((th) => th.textContent);
    const sources = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).getAllByRole('cell')[headers.indexOf('Reported by')]?.textContent);
    expect(sources).toEqual(['API token “ci”', 'Forgejo delivery 0190f2c4', 'imported by the operator']);
  });
});
