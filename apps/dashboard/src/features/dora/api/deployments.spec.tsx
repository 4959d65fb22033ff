import type { DeploymentItem } from '@dora/domain';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { mockApi } from '../../../test/render';
import { useDayDeployments } from './deployments';

const deployment = (id: string): DeploymentItem => ({
  id,
  repo_full_name: 'acme/web',
  environment: 'production',
  deployed_at: '2026-11-25T10:00:00.000Z',
  commit_sha: 'abcdef1234567890',
  committed_at: '2026-11-25T09:00:00.000Z',
  success: true,
  is_rework: false,
  external_ref: null,
  service: null,
  team: null,
  source: 'api',
  ingested_by: { type: 'token', id: 't1', name: 'ci' },
  created_at: '2026-11-25T10:00:01.000Z',
});
const day = { date: '2026-11-25', from: '2026-11-25T00:00:00.000Z', to: '2026-11-26T00:00:00.000Z' };
const path = '/api/v1/orgs/acme/dora/deployments';

function renderDayDeployments(initial: typeof day | null) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  return renderHook(({ shown }) => useDayDeployments('acme', { environment: 'production', repo: 'acme/web', success: true }, shown), {
    wrapper,
    initialProps: { shown: initial },
  });
}

describe('useDayDeployments', () => {
  it('fetches nothing while no day is shown', () => {
    const calls = mockApi({ [path]: { items: [], next_cursor: null } });
    const { result } = renderDayDeployments(null);
    expect(result.current).toEqual({ date: null, items: [], pending: false, error: null, more: false });
    expect(calls).toEqual([]);
  });

  it('asks for the first ten deployments of the day that the metric counts, and says when there are more', async () => {
    const calls = mockApi({ [path]: { items: [deployment('d1'), deployment('d2')], next_cursor: 'next' } });
    const { result } = renderDayDeployments(day);
    expect(result.current).toMatchObject({ date: '2026-11-25', pending: true, items: [] });
    await waitFor(() => expect(result.current.pending).toBe(false));
    expect(result.current).toMatchObject({ date: '2026-11-25', error: null, more: true });
    expect(result.current.items.map((d) => d.id)).toEqual(['d1', 'd2']);
    expect(calls.map((c) => c.path)).toEqual([
      `${path}?environment=production&repo=acme%2Fweb&from=2026-11-25T00%3A00%3A00.000Z&to=2026-11-26T00%3A00%3A00.000Z&success=true&limit=10`,
    ]);
  });

  it('passes on what the API said when it fails', async () => {
    mockApi({ [path]: () => ({ status: 503, body: { error: { code: 'database_unavailable', message: 'The database is not reachable' } } }) });
    const { result } = renderDayDeployments(day);
    await waitFor(() => expect(result.current.error?.message).toBe('The database is not reachable'));
    expect(result.current).toMatchObject({ pending: false, items: [], more: false });
  });
});
