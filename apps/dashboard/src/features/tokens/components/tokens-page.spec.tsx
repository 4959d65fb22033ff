import type { ApiTokenItem, Me, RotatedToken } from '@dora/domain';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../../lib/format';
import { meQuery } from '../../auth/api/me';
import { mockApi, renderAt } from '../../../test/render';
import { TokensPage, tokenState } from './tokens-page';

const token: ApiTokenItem = {
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
  exceeds_policy: false,
  stops_at: null,
  expires_soon: false,
  replaced_by: null,
};
const later = '2099-01-10T12:00:00.000Z';
const muchLater = '2099-06-01T12:00:00.000Z';
const me: Me = { user: { id: 'u1', email: 'ops@acme.test' }, orgs: [{ slug: 'acme', name: 'Acme', role: 'admin' }], csrf_token: 'the-csrf' };

function renderTokens() {
  const rendered = renderAt('/acme/_admin/tokens', [{ path: '/:slug/_admin/tokens', element: <TokensPage /> }]);
  rendered.client.setQueryData(meQuery.queryKey, me);
  return rendered;
}

const rowOf = (name: string) => screen.getByRole('rowheader', { name }).closest('tr')!;

describe('TokensPage', () => {
  it('mints a token with the session’s CSRF token and shows its secret once, with a curl command', async () => {
    const secret = `ffp_${'x'.repeat(40)}`;
    const calls = mockApi({
      '/api/v1/orgs/acme/identity-providers': { items: [] },
      '/api/v1/orgs/acme/tokens': (init) => (init?.method === 'POST' ? { status: 201, body: { token, secret } } : { status: 200, body: { items: [] } }),
    });
    renderTokens();
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

  it('says when each token stops working, and which to rotate', async () => {
    mockApi({
      '/api/v1/orgs/acme/identity-providers': { items: [] },
      '/api/v1/orgs/acme/tokens': {
        items: [
          token,
          { ...token, id: 't2', name: 'deploy', expires_at: later, stops_at: later, expires_soon: true },
          { ...token, id: 't3', name: 'capped', expires_at: muchLater, stops_at: later, exceeds_policy: true },
          { ...token, id: 't4', name: 'old', expires_at: later, stops_at: later, replaced_by: 't9' },
          { ...token, id: 't5', name: 'gone', revoked_at: '2026-11-27T10:00:00.000Z' },
          { ...token, id: 't6', name: 'job', origin: 'exchanged', created_by: null, issuer: 'https://forge.example', stops_at: later, expires_at: later },
          { ...token, id: 't7', name: 'over', expires_at: '2026-01-01T00:00:00.000Z', stops_at: '2026-01-01T00:00:00.000Z' },
        ],
      },
    });
    renderTokens();
    await screen.findByRole('table');
    const cells = (name: string) => within(rowOf(name)).getAllByRole('cell').map((cell) => cell.textContent);
    const buttons = (name: string) => within(rowOf(name)).queryAllByRole('button').map((button) => button.textContent);

    expect(screen.getByRole('columnheader', { name: 'Stops working' })).toBeTruthy();
    expect(cells('ci')[4]).toBe('never');
    expect(buttons('ci')).toEqual(['Rotate', 'Revoke']);
    expect(cells('deploy')[4]).toBe(`${formatDateTime(later)} expires soon — rotate it`);
    expect(cells('capped')[4]).toBe(`${formatDateTime(later)}cut short by the org’s lifetime policy (its own expiry: ${formatDateTime(muchLater)})`);
    expect(cells('old')[5]).toBe(`rotated; works until ${formatDateTime(later)} Revoke`);
    expect(buttons('old')).toEqual(['Revoke']);
    expect(buttons('gone')).toEqual([]);
    expect(buttons('job')).toEqual(['Revoke']);
    expect(cells('over')[5]).toBe('expired');
    expect(buttons('over')).toEqual([]);
  });

  it('rotates a token with a grace period and the CSRF token, shows the new secret once and reloads the list', async () => {
    const live = { ...token, expires_at: later, stops_at: later, expires_soon: true };
    const graceEnd = '2099-01-03T12:00:00.000Z';
    const rotated: RotatedToken = {
      token: { ...live, id: 't2', prefix: 'ffp_newnewne', created_at: '2099-01-01T12:00:00.000Z' },
      secret: `ffp_${'n'.repeat(40)}`,
      previous: { ...live, replaced_by: 't2', expires_at: graceEnd, stops_at: graceEnd, expires_soon: false },
    };
    let listed: ApiTokenItem[] = [live];
    const calls = mockApi({
      '/api/v1/orgs/acme/identity-providers': { items: [] },
      '/api/v1/orgs/acme/tokens': () => ({ status: 200, body: { items: listed } }),
      '/api/v1/orgs/acme/tokens/t1/rotate': () => {
        listed = [rotated.token, rotated.previous];
        return { status: 201, body: rotated };
      },
    });
    renderTokens();
    fireEvent.click(await screen.findByRole('button', { name: 'Rotate' }));

    const form = screen.getByRole('form', { name: 'Rotate “ci”' });
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Rotate' }).disabled).toBe(true); // one rotation at a time
    const grace = within(form).getByLabelText<HTMLInputElement>('Grace period (hours)');
    expect(grace.value).toBe('24');
    expect(grace.getAttribute('min')).toBe('0');
    expect(grace.getAttribute('max')).toBe('720');
    expect(within(form).getByText(/How long the old secret keeps working/)).toBeTruthy();
    fireEvent.change(grace, { target: { value: '48' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Rotate token' }));

    const shown = await screen.findByRole('region', { name: 'New token' });
    expect(within(shown).getByTestId('token-secret').textContent).toBe(rotated.secret);
    expect(within(shown).getByText(/The old secret/).textContent).toContain(`works until ${formatDateTime(graceEnd)}`);
    const rotate = calls.find((c) => c.path.endsWith('/rotate'))!;
    expect(rotate).toMatchObject({ method: 'POST', body: { grace_hours: 48 } });
    expect(rotate.headers).toMatchObject({ 'X-CSRF-Token': 'the-csrf' });

    // The list is asked again: the old token now shows its grace period.
    expect(await screen.findByText(`rotated; works until ${formatDateTime(graceEnd)}`, { exact: false })).toBeTruthy();
    expect(calls.filter((c) => c.path === '/api/v1/orgs/acme/tokens')).toHaveLength(2);

    fireEvent.click(within(shown).getByRole('button', { name: 'Done' }));
    expect(screen.queryByText(rotated.secret)).toBeNull();
  });

  it('refuses a grace period outside 0–720 hours without asking the API', async () => {
    const calls = mockApi({ '/api/v1/orgs/acme/identity-providers': { items: [] }, '/api/v1/orgs/acme/tokens': { items: [token] } });
    renderTokens();
    fireEvent.click(await screen.findByRole('button', { name: 'Rotate' }));
    fireEvent.change(screen.getByLabelText('Grace period (hours)'), { target: { value: '721' } });
    fireEvent.click(screen.getByRole('button', { name: 'Rotate token' }));
    expect(screen.getByRole('alert').textContent).toBe('Enter whole hours from 0 to 720.');
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('form', { name: 'Rotate “ci”' })).toBeNull();
  });

  it("shows the API's refusal of a rotation", async () => {
    mockApi({
      '/api/v1/orgs/acme/identity-providers': { items: [] },
      '/api/v1/orgs/acme/tokens': { items: [token] },
      '/api/v1/orgs/acme/tokens/t1/rotate': () => ({ status: 409, body: { error: { code: 'conflict', message: 'The token was rotated already' } } }),
    });
    renderTokens();
    fireEvent.click(await screen.findByRole('button', { name: 'Rotate' }));
    fireEvent.click(screen.getByRole('button', { name: 'Rotate token' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The token was rotated already');
  });
});

describe('tokenState', () => {
  const now = Date.parse('2026-12-01T00:00:00.000Z');
  it('tells revoked, expired, rotated and live tokens apart', () => {
    expect(tokenState({ ...token, revoked_at: '2026-11-30T00:00:00.000Z' }, now)).toBe('revoked');
    expect(tokenState({ ...token, stops_at: '2026-12-01T00:00:00.000Z' }, now)).toBe('expired');
    expect(tokenState({ ...token, stops_at: '2026-12-02T00:00:00.000Z', replaced_by: 't2' }, now)).toBe('rotated');
    expect(tokenState(token, now)).toBe('live');
  });
});
