import type { IdentityProviderItem } from '@dora/domain';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { meQuery } from '../../auth/api/me';
import { mockApi, renderAt } from '../../../test/render';
import { IdentityProviders, parseClaims } from './identity-providers';

describe('parseClaims', () => {
  it('reads name=value lines, values with "=" and globs included', () => {
    expect(parseClaims('repository_owner=acme\n  ref = refs/heads/*  \n\nworkflow_ref=acme/ci/.forgejo/deploy.yml@refs/heads/main\nlabel=a=b')).toEqual({
      repository_owner: 'acme',
      ref: 'refs/heads/*',
      workflow_ref: 'acme/ci/.forgejo/deploy.yml@refs/heads/main',
      label: 'a=b',
    });
  });

  it('keeps a line without a value, for the API to refuse by name', () => {
    expect(parseClaims('environment')).toEqual({ environment: '' });
  });
});

const provider: IdentityProviderItem = {
  id: 'p1',
  issuer: 'https://forge.example/api/actions',
  jwks_uri: 'https://forge.example/api/actions/.well-known/keys',
  inline_jwks: false,
  audience: 'acme',
  required_claims: { repository_owner: 'acme' },
  allowed_scopes: ['findings:write'],
  max_ttl_seconds: 900,
  allow_any_subject: false,
  created_at: '2026-11-26T10:00:00.000Z',
};
const path = '/api/v1/orgs/acme/identity-providers';

function renderProviders() {
  const rendered = renderAt('/acme/_admin/tokens', [{ path: '/:slug/_admin/tokens', element: <IdentityProviders slug="acme" /> }]);
  rendered.client.setQueryData(meQuery.queryKey, { user: { id: 'u1', email: 'ops@acme.test' }, orgs: [{ slug: 'acme', name: 'Acme', role: 'admin' }], csrf_token: 'the-csrf' });
  return rendered;
}

function fillForm() {
  fireEvent.change(screen.getByLabelText('Issuer (the tokens’ iss)'), { target: { value: 'https://token.actions.githubusercontent.com' } });
  fireEvent.change(screen.getByLabelText('JWKS URL'), { target: { value: 'https://token.actions.githubusercontent.com/.well-known/jwks' } });
  fireEvent.change(screen.getByLabelText('Audience (the tokens’ aud)'), { target: { value: 'acme' } });
}

describe('IdentityProviders', () => {
  it('warns, in words, about a provider that trusts any subject of its issuer', async () => {
    mockApi({ [path]: { items: [provider, { ...provider, id: 'p2', issuer: 'https://token.actions.githubusercontent.com', required_claims: {}, allow_any_subject: true }] } });
    renderProviders();
    const open = (await screen.findByRole('rowheader', { name: 'https://token.actions.githubusercontent.com' })).closest('tr')!;
    expect(within(open).getByText(/Any subject of this issuer can report deployments into this org — add required claims/).textContent).toBe(
      'Warning: Any subject of this issuer can report deployments into this org — add required claims.',
    );
    const guarded = screen.getByRole('rowheader', { name: provider.issuer }).closest('tr')!;
    expect(within(guarded).queryByText(/Any subject/)).toBeNull();
    expect(within(guarded).getByText('repository_owner = acme')).toBeTruthy();
  });

  it('explains beside the checkbox what trusting any subject means', async () => {
    mockApi({ [path]: { items: [] } });
    renderProviders();
    const box = await screen.findByRole('checkbox', { name: 'Allow any subject of this issuer (no required claims)' });
    expect((box as HTMLInputElement).checked).toBe(false);
    const hint = document.getElementById(box.getAttribute('aria-describedby')!)!.textContent;
    expect(hint).toContain('every workload of the issuer could report deployments into this org');
    expect(hint).toContain('every GitHub repository in the world');
    expect(hint).toContain('The API refuses a provider with no required claims unless this is ticked.');
  });

  it('sends allow_any_subject: true when it is ticked, with the CSRF token', async () => {
    const calls = mockApi({ [path]: (init) => (init?.method === 'POST' ? { status: 201, body: provider } : { status: 200, body: { items: [] } }) });
    renderProviders();
    fillForm();
    fireEvent.change(screen.getByLabelText(/Required claims/), { target: { value: '' } });
    fireEvent.click(await screen.findByRole('checkbox', { name: /Allow any subject/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Trust this issuer' }));
    await expect.poll(() => calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    const add = calls.find((c) => c.method === 'POST')!;
    expect(add.body).toEqual({
      issuer: 'https://token.actions.githubusercontent.com',
      jwks_uri: 'https://token.actions.githubusercontent.com/.well-known/jwks',
      audience: 'acme',
      required_claims: {},
      max_ttl_seconds: 900,
      allow_any_subject: true,
    });
    expect(add.headers).toMatchObject({ 'X-CSRF-Token': 'the-csrf' });
  });

  it('leaves allow_any_subject out when it is not ticked', async () => {
    const calls = mockApi({ [path]: (init) => (init?.method === 'POST' ? { status: 201, body: provider } : { status: 200, body: { items: [] } }) });
    renderProviders();
    fillForm();
    fireEvent.click(screen.getByRole('button', { name: 'Trust this issuer' }));
    await expect.poll(() => calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual(expect.objectContaining({ required_claims: { repository_owner: 'acme' } }));
    expect(calls.find((c) => c.method === 'POST')!.body).not.toHaveProperty('allow_any_subject');
  });

  it("shows the API's refusal of a provider without required claims", async () => {
    mockApi({
      [path]: (init) =>
        init?.method === 'POST'
          ? { status: 400, body: { error: { code: 'validation_failed', message: 'A provider without required_claims trusts every subject: set allow_any_subject to mean it' } } }
          : { status: 200, body: { items: [] } },
    });
    renderProviders();
    await screen.findByRole('checkbox', { name: /Allow any subject/ });
    fillForm();
    fireEvent.change(screen.getByLabelText(/Required claims/), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Trust this issuer' }));
    expect((await screen.findByRole('alert')).textContent).toContain('set allow_any_subject to mean it');
  });
});
