import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { meQuery } from '../../auth/api/me';
import { mockApi, renderAt } from '../../../test/render';
import { TokensPage } from './tokens-page';

const token = {
  id: 't1',
  name: 'ci',
  prefix: 'ffp_abcdefgh',
  scopes: ['findings:write'],
  origin: 'minted',
  created_by: { id: 'u1', email: 'ops@acme.test' },
  issuer: null,
  subject: null,
  expires_at: null,
  last_used_at: null,
  revoked_at: null,
  created_at: '2026-11-26T10:00:00.000Z',
};

describe('TokensPage', () => {
  it('mints a token with the session’s CSRF token and shows its secret once, with a curl command', async () => {
    const secret = `ffp_${'x'.repeat(40)}`;
    const calls = mockApi({
      '/api/v1/orgs/acme/tokens': (init) => (init?.method === 'POST' ? { status: 201, body: { token, secret } } : { status: 200, body: { items: [] } }),
    });
    const { client } = renderAt('/acme/_admin/tokens', [{ path: '/:slug/_admin/tokens', element: <TokensPage /> }]);
    client.setQueryData(meQuery.queryKey, { user: { id: 'u1', email: 'ops@acme.test' }, orgs: [{ slug: 'acme', name: 'Acme', role: 'admin' }], csrf_token: 'the-csrf' });
    expect(await screen.findByText('No tokens yet.')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'ci' } });
    fireEvent.click(screen.getByRole('button', { name: 'Mint token' }));
    const shown = await screen.findByRole('region', { name: 'New token' });
    expect(within(shown).getByTestId('token-secret').textContent).toBe(secret);
    expect(within(shown).getByText(/curl -X POST .*\/api\/v1\/dora\/deployments/)).toBeTruthy();
    const mint = calls.find((c) => c.method === 'POST')!;
    expect(mint.body).toEqual({ name: 'ci', scopes: ['findings:write'], expires_in_days: 90 });
    expect(mint.headers).toMatchObject({ 'X-CSRF-Token': 'the-csrf' });

    fireEvent.click(within(shown).getByRole('button', { name: 'Done' }));
    expect(screen.queryByText(secret)).toBeNull();
  });
});
