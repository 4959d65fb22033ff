import { screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, renderAt } from '../test/render';
import { AdminLayout } from './admin-layout';

const me = { user: { id: 'u1', email: 'ops@acme.test' }, orgs: [{ slug: 'acme', name: 'Acme', role: 'member' }], csrf_token: 'csrf' };
const routes = [
  { path: '/:slug/_admin', element: <AdminLayout />, children: [{ path: 'dora', element: <p>org dashboard</p> }] },
  { path: '/login', element: <p>sign-in page</p> },
];

beforeEach(() => localStorage.clear());

describe('AdminLayout', () => {
  it('remembers an org whose pages open, for the landing page to offer it', async () => {
    mockApi({ '/api/v1/auth/me': me });
    renderAt('/acme/_admin/dora', routes);
    expect(await screen.findByText('org dashboard')).toBeTruthy();
    expect(localStorage.getItem('dora.lastOrg')).toBe('acme');
  });

  it('does not remember an org that is not among the signed-in user’s', async () => {
    localStorage.setItem('dora.lastOrg', 'acme');
    mockApi({ '/api/v1/auth/me': me });
    renderAt('/acme-typo/_admin/dora', routes);
    expect(await screen.findByRole('heading', { name: 'No such organisation' })).toBeTruthy();
    expect(localStorage.getItem('dora.lastOrg')).toBe('acme');
  });

  it('says so when the service does not answer', async () => {
    mockApi({ '/api/v1/auth/me': () => ({ status: 503, body: { error: { code: 'database_unavailable', message: 'The database is not reachable' } } }) });
    renderAt('/acme/_admin/dora', routes);
    expect((await screen.findByRole('alert')).textContent).toBe('The service does not answer: The database is not reachable');
    expect(screen.queryByText('org dashboard')).toBeNull();
  });

  it('remembers nothing before the sign-in', async () => {
    mockApi({ '/api/v1/auth/me': () => ({ status: 401, body: { error: { code: 'unauthenticated', message: 'Sign in first' } } }) });
    const { router } = renderAt('/acme/_admin/dora', routes);
    expect(await screen.findByText('sign-in page')).toBeTruthy();
    expect(router.state.location.search).toBe('?next=%2Facme%2F_admin%2Fdora');
    expect(localStorage.getItem('dora.lastOrg')).toBeNull();
  });
});
