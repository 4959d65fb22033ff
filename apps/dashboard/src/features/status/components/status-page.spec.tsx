import type { ServiceStatus } from '@dora/domain';
import { fireEvent, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, renderAt } from '../../../test/render';
import { StatusPage } from './status-page';

const up: ServiceStatus = { status: 'ok', version: '1.2.3', database: 'embedded' };

function renderLanding(status: ServiceStatus | (() => { status: number; body: unknown })) {
  const calls = mockApi({ '/api/v1/status': status });
  const rendered = renderAt('/', [
    { path: '/', element: <StatusPage /> },
    { path: '/:slug/_admin/dora', element: <p>org dashboard</p> },
  ]);
  return { calls, ...rendered };
}

function openOrg(input: string) {
  fireEvent.change(screen.getByLabelText('Organisation (slug)'), { target: { value: input } });
  fireEvent.click(screen.getByRole('button', { name: 'Go to sign-in' }));
}

beforeEach(() => localStorage.clear());

describe('StatusPage', () => {
  it('shows that the service is up and its database, and lists no org when the directory is not public', async () => {
    const { calls } = renderLanding(up);
    expect(await screen.findByText('The service is up (version 1.2.3).')).toBeTruthy();
    expect(screen.getByText(/embedded PostgreSQL/)).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Organisations' })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Organisations' })).toBeNull();
    expect(screen.getByRole('form', { name: 'Your organisation' })).toBeTruthy();
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/status']);
  });

  it('lists every org as a link when the operator made the directory public', async () => {
    renderLanding({ ...up, orgs: [{ slug: 'acme', name: 'Acme Inc' }, { slug: 'demo', name: 'Demo' }] });
    const list = await screen.findByRole('list', { name: 'Organisations' });
    const orgs = within(list).getAllByRole('listitem');
    expect(orgs.map((item) => item.textContent)).toEqual(['Acme Inc acme', 'Demo demo']);
    expect(within(list).getByRole('link', { name: 'Acme Inc acme' }).getAttribute('href')).toBe('/acme/_admin/dora');
  });

  it('says how to create an org when the public directory is empty', async () => {
    renderLanding({ status: 'ok', version: '1.0.0', database: 'postgresql', orgs: [] });
    expect(await screen.findByText(/No organisation yet/)).toBeTruthy();
    expect(screen.getByText('Database: PostgreSQL.')).toBeTruthy();
  });

  it("shows the API's error message when the service cannot answer, and still asks for the org", async () => {
    renderLanding(() => ({ status: 503, body: { error: { code: 'database_unavailable', message: 'The database does not answer' } } }));
    expect((await screen.findByRole('alert')).textContent).toContain('The database does not answer');
    expect(screen.getByLabelText('Organisation (slug)')).toBeTruthy();
  });
});

describe('the org form of the landing page', () => {
  it("opens the org's dashboard (lower-cased), which asks to sign in, and remembers the org", async () => {
    const { router } = renderLanding(up);
    openOrg('  Acme-Labs ');
    expect(await screen.findByText('org dashboard')).toBeTruthy();
    expect(router.state.location.pathname).toBe('/acme-labs/_admin/dora');
    expect(localStorage.getItem('dora.lastOrg')).toBe('acme-labs');
  });

  it('lower-cases what is typed', () => {
    renderLanding(up);
    const input = screen.getByLabelText<HTMLInputElement>('Organisation (slug)');
    fireEvent.change(input, { target: { value: 'ACME' } });
    expect(input.value).toBe('acme');
  });

  it.each([
    ['', 'Enter the slug of your organisation, e.g. acme.'],
    ['-acme', 'A slug starts with a letter (a–z) or a digit.'],
    ['acme inc/ops', 'A slug has only letters a–z, digits, “.”, “_” and “-”; not space, “/”.'],
    ['a'.repeat(41), 'A slug has at most 40 characters; this one has 41.'],
  ])('says what is wrong with the slug %j and stays', (input, message) => {
    const { router } = renderLanding(up);
    openOrg(input);
    expect(screen.getByRole('alert').textContent).toBe(message);
    expect(screen.getByLabelText('Organisation (slug)').getAttribute('aria-invalid')).toBe('true');
    expect(router.state.location.pathname).toBe('/');
    expect(localStorage.getItem('dora.lastOrg')).toBeNull();
  });

  it('offers the org used last in this browser', async () => {
    localStorage.setItem('dora.lastOrg', 'acme');
    const { router } = renderLanding(up);
    expect(screen.getByLabelText<HTMLInputElement>('Organisation (slug)').value).toBe('acme');
    fireEvent.click(screen.getByRole('link', { name: 'Continue to acme' }));
    expect(await screen.findByText('org dashboard')).toBeTruthy();
    expect(router.state.location.pathname).toBe('/acme/_admin/dora');
  });

  it('offers nothing when nothing valid is remembered', () => {
    localStorage.setItem('dora.lastOrg', '../evil');
    renderLanding(up);
    expect(screen.queryByRole('link', { name: /Continue to/ })).toBeNull();
    expect(screen.getByLabelText<HTMLInputElement>('Organisation (slug)').value).toBe('');
  });
});
