import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderAt } from '../../../test/render';
import { LoginPage, safeNext } from './login-page';

const me = { user: { id: 'u1', email: 'ops@acme.test' }, orgs: [{ slug: 'acme', name: 'Acme', role: 'admin' }], csrf_token: 'csrf' };

function fillAndSubmit(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('LoginPage', () => {
  it('signs in and returns to the page that was asked for', async () => {
    const calls = mockApi({ '/api/v1/auth/login': me });
    const { router } = renderAt('/login?next=%2Facme%2F_admin%2Ftokens', [
      { path: '/login', element: <LoginPage /> },
      { path: '/acme/_admin/tokens', element: <p>tokens page</p> },
    ]);
    fillAndSubmit('ops@acme.test', 'a long password');
    expect(await screen.findByText('tokens page')).toBeTruthy();
    expect(router.state.location.pathname).toBe('/acme/_admin/tokens');
    expect(calls).toEqual([expect.objectContaining({ path: '/api/v1/auth/login', method: 'POST', body: { email: 'ops@acme.test', password: 'a long password' } })]);
  });

  it('shows what the API said when the sign-in fails', async () => {
    mockApi({ '/api/v1/auth/login': () => ({ status: 401, body: { error: { code: 'unauthenticated', message: 'The email or the password is wrong' } } }) });
    renderAt('/login', [{ path: '/login', element: <LoginPage /> }]);
    fillAndSubmit('ops@acme.test', 'wrong');
    expect((await screen.findByRole('alert')).textContent).toBe('The email or the password is wrong');
  });
});

describe('safeNext', () => {
  it('goes only to a page of this site, else to the first org', () => {
    expect(safeNext('/acme/_admin/audit', 'acme')).toBe('/acme/_admin/audit');
    expect(safeNext('//evil.example/x', 'acme')).toBe('/acme/_admin/dora');
    expect(safeNext('https://evil.example', 'acme')).toBe('/acme/_admin/dora');
    expect(safeNext(null, undefined)).toBe('/');
  });
});
