import type { ServiceStatus } from '@dora/domain';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StatusPage } from './status-page';

function renderWithAnswer(status: number, body: unknown) {
  const fetchMock = vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
  vi.stubGlobal('fetch', fetchMock);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <StatusPage />
    </QueryClientProvider>,
  );
  return fetchMock;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('StatusPage', () => {
  it('shows that the service is up, its database and every org', async () => {
    const status: ServiceStatus = {
      status: 'ok',
      version: '1.2.3',
      database: 'embedded',
      orgs: [
        { slug: 'acme', name: 'Acme Inc' },
        { slug: 'demo', name: 'Demo' },
      ],
    };
    const fetchMock = renderWithAnswer(200, status);

    expect(await screen.findByText('The service is up (version 1.2.3).')).toBeTruthy();
    expect(screen.getByText(/embedded PostgreSQL/)).toBeTruthy();
    const orgs = within(screen.getByRole('list', { name: 'Organisations' })).getAllByRole('listitem');
    expect(orgs.map((item) => item.textContent)).toEqual(['Acme Inc acme', 'Demo demo']);
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/status', expect.anything());
  });

  it('says how to create an org when there is none', async () => {
    renderWithAnswer(200, { status: 'ok', version: '1.0.0', database: 'postgresql', orgs: [] });
    expect(await screen.findByText(/No organisation yet/)).toBeTruthy();
    expect(screen.getByText('Database: PostgreSQL.')).toBeTruthy();
  });

  it("shows the API's error message when the service cannot answer", async () => {
    renderWithAnswer(503, { error: { code: 'database_unavailable', message: 'The database does not answer' } });
    expect((await screen.findByRole('alert')).textContent).toContain('The database does not answer');
  });
});
