import type { DoraMetrics, DoraSummary } from '@dora/domain';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderAt } from '../../../test/render';
import { DoraPage } from './dora-page';

const empty: DoraMetrics = {
  deployment_frequency: { value: 0, successes: 0, band: 'low' },
  lead_time: { p50_seconds: null, p95_seconds: null, sample: 0, without_commit: 0, excluded_negative: 0, band: null },
  change_failure_rate: { value: null, failed: 0, total: 0, band: null },
  time_to_restore: { median_seconds: null, restored: 0, open: 0, oldest_open_seconds: null, band: null },
  rework_rate: { value: null, rework: 0, total: 0, band: null },
};
const window = { days: 30, from: '2026-10-27T10:00:00.000Z', to: '2026-11-26T10:00:00.000Z' };
const summary: DoraSummary = {
  org: 'acme',
  environment: 'production',
  repo: null,
  band_set: 'dora-2023',
  window,
  ...empty,
  deployment_frequency: { value: 1.4, successes: 42, band: 'elite' },
  previous: { window, ...empty },
};
const api = (environments: { environment: string; deployments: number; last_deployed_at: string }[]) => ({
  '/api/v1/orgs/acme/dora/summary': summary,
  '/api/v1/orgs/acme/dora/series': { org: 'acme', environment: 'production', repo: null, timezone: 'UTC', points: [] },
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
});
