import type { RepoMetrics } from '@dora/domain';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { metricsWith, summaryOf } from '../../../test/fixtures';
import { mockApi, renderAt } from '../../../test/render';
import { ReposPage } from './repos-page';

describe('ReposPage', () => {
  it('offers every repository of the breakdown as CSV, in the scope and sort shown', async () => {
    const repo = (name: string): RepoMetrics => ({ repo_full_name: name, ...metricsWith(10) });
    mockApi({
      '/api/v1/orgs/acme/dora/summary': summaryOf(metricsWith(30)),
      '/api/v1/orgs/acme/dora/environments': { items: [] },
      '/api/v1/orgs/acme/dora/repos': { items: [repo('acme/api'), repo('acme/web')], next_cursor: 'more' },
    });
    renderAt('/acme/_admin/dora/repos?environment=staging&window=90&sort=-change_failure_rate', [{ path: '/:slug/_admin/dora/repos', element: <ReposPage /> }]);
    await screen.findByRole('table');
    expect(screen.getByRole('link', { name: 'Download all repositories (CSV)' }).getAttribute('href')).toBe(
      '/api/v1/orgs/acme/dora/repos.csv?environment=staging&window=90&sort=-change_failure_rate',
    );
  });
});
