import type { BadgeKeyItem, MintedBadgeKey } from '@dora/domain';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { formatDateTime } from '../../../lib/format';
import { meQuery } from '../../auth/api/me';
import { meAs } from '../../../test/fixtures';
import { mockApi, renderAt } from '../../../test/render';
import { BadgesPage } from './badges-page';

const keysPath = '/api/v1/orgs/acme/badge-keys';
const live: BadgeKeyItem = { id: 'k1', name: 'README of acme/web', prefix: 'fbk_abcdefgh', created_at: '2026-11-20T10:00:00.000Z', revoked_at: null };
const revoked: BadgeKeyItem = { id: 'k2', name: 'old wiki', prefix: 'fbk_zyxwvuts', created_at: '2026-10-01T10:00:00.000Z', revoked_at: '2026-11-01T10:00:00.000Z' };
const secret = `fbk_${'s'.repeat(40)}`;

function api(role: 'admin' | 'viewer', keys: Parameters<typeof mockApi>[0][string]) {
  return mockApi({ '/api/v1/auth/me': meAs(role), '/api/v1/orgs/acme/dora/environments': { items: [] }, [keysPath]: keys });
}

function renderBadges(role: 'admin' | 'viewer' = 'admin') {
  const rendered = renderAt('/acme/_admin/badges', [{ path: '/:slug/_admin/badges', element: <BadgesPage /> }]);
  rendered.client.setQueryData(meQuery.queryKey, meAs(role));
  return rendered;
}

const rowOf = (name: string) => screen.getByRole('rowheader', { name }).closest('tr')!;
const markdown = () => screen.getByTestId('badge-markdown').textContent;
const badgeBase = () => `${window.location.origin}/api/v1/orgs/acme/dora/badge.svg`;

describe('BadgesPage', () => {
  it('lists the badge keys: name, key prefix, when created, and revoke or when revoked', async () => {
    api('admin', { items: [live, revoked] });
    renderBadges();
    await screen.findByRole('table');
    const cells = (name: string) => within(rowOf(name)).getAllByRole('cell').map((cell) => cell.textContent);
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Name', 'Key', 'Created', 'State']);
    expect(cells('README of acme/web')).toEqual(['fbk_abcdefgh…', formatDateTime(live.created_at), 'Revoke']);
    expect(cells('old wiki')).toEqual(['fbk_zyxwvuts…', formatDateTime(revoked.created_at), `revoked ${formatDateTime(revoked.revoked_at)}`]);
    expect(within(rowOf('old wiki')).queryByRole('button')).toBeNull();
    // Long names wrap; the table scrolls in its box rather than widening the page.
    expect(screen.getByRole('rowheader', { name: 'README of acme/web' }).className).toContain('wrap');
    expect(screen.getByRole('table').parentElement?.className).toBe('table-scroll');
  });

  it('says so when there is no key, and the builder holds a placeholder with no preview', async () => {
    api('admin', { items: [] });
    renderBadges();
    expect(await screen.findByText('No badge keys yet.')).toBeTruthy();
    expect(markdown()).toBe(`![Lead time](${badgeBase()}?metric=lead_time&environment=production&key=<your key>)`);
    expect(screen.queryByRole('img')).toBeNull();
  });

  it('mints a key with the CSRF token, shows it once, and builds the Markdown of a badge with it', async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const minted: MintedBadgeKey = { badge_key: { ...live, id: 'k3', name: 'README of acme/api' }, key: secret };
    let items: BadgeKeyItem[] = [];
    const calls = api('admin', (init: RequestInit | undefined) => {
      if (init?.method !== 'POST') return { status: 200, body: { items } };
      items = [minted.badge_key];
      return { status: 201, body: minted };
    });
    renderBadges();
    await screen.findByText('No badge keys yet.');

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'README of acme/api' } });
    fireEvent.click(screen.getByRole('button', { name: 'Mint badge key' }));
    const shown = await screen.findByRole('region', { name: 'New badge key' });
    expect(within(shown).getByTestId('badge-key').textContent).toBe(secret);
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post).toMatchObject({ path: keysPath, body: { name: 'README of acme/api' } });
    expect(post.headers).toMatchObject({ 'X-CSRF-Token': 'the-csrf' });
    expect(await screen.findByRole('rowheader', { name: 'README of acme/api' })).toBeTruthy();

    // The builder uses the new key: the snippet and a preview of the badge.
    expect(markdown()).toBe(`![Lead time](${badgeBase()}?metric=lead_time&environment=production&key=${secret})`);
    fireEvent.change(screen.getByLabelText('Metric'), { target: { value: 'deployment_frequency' } });
    fireEvent.change(screen.getByLabelText('Repository'), { target: { value: 'acme/api' } });
    fireEvent.change(screen.getByLabelText('Environment'), { target: { value: 'staging' } });
    const url = `${badgeBase()}?metric=deployment_frequency&repo=acme/api&environment=staging&key=${secret}`;
    expect(markdown()).toBe(`![Deployment frequency](${url})`);
    const preview = screen.getByRole<HTMLImageElement>('img', { name: 'Deployment frequency badge of acme/api in staging' });
    expect(preview.src).toBe(url);

    fireEvent.click(screen.getByRole('button', { name: 'Copy Markdown' }));
    expect(await screen.findByText('Copied')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(`![Deployment frequency](${url})`);

    // Done: the key is gone from the page, the snippet falls back to the placeholder and the preview goes.
    fireEvent.click(within(shown).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('region', { name: 'New badge key' })).toBeNull();
    expect(document.body.textContent).not.toContain(secret);
    expect(markdown()).toContain('&key=<your key>');
    expect(screen.queryByRole('img')).toBeNull();
  });

  it('revokes a key once the admin confirms, and lists it again as revoked', async () => {
    let items: BadgeKeyItem[] = [live];
    const stored = mockApi({
      '/api/v1/auth/me': meAs('admin'),
      '/api/v1/orgs/acme/dora/environments': { items: [] },
      [keysPath]: () => ({ status: 200, body: { items } }),
      [`${keysPath}/k1`]: (init) => {
        if (init?.method !== 'DELETE') return { status: 405, body: { error: { code: 'method_not_allowed', message: 'DELETE only' } } };
        items = [{ ...live, revoked_at: '2026-11-27T10:00:00.000Z' }];
        return { status: 200, body: items[0] };
      },
    });
    const confirm = vi.spyOn(window, 'confirm');
    renderBadges();
    const button = await screen.findByRole('button', { name: 'Revoke README of acme/web' });

    confirm.mockReturnValueOnce(false);
    fireEvent.click(button);
    expect(confirm).toHaveBeenLastCalledWith('Revoke the badge key “README of acme/web”? Every badge that uses it stops showing at once.');
    expect(stored.filter((c) => c.method === 'DELETE')).toEqual([]);

    confirm.mockReturnValueOnce(true);
    fireEvent.click(button);
    expect(await screen.findByText(`revoked ${formatDateTime('2026-11-27T10:00:00.000Z')}`)).toBeTruthy();
    const revoke = stored.find((c) => c.method === 'DELETE')!;
    expect(revoke.path).toBe(`${keysPath}/k1`);
    expect(revoke.headers).toMatchObject({ 'X-CSRF-Token': 'the-csrf' });
    confirm.mockRestore();
  });

  it('tells a viewer that badge keys are for admins, without the form, the list or the builder', async () => {
    const calls = api('viewer', { items: [live] });
    renderBadges('viewer');
    expect(await screen.findByText(/Only an admin of this organisation can mint and revoke badge keys/)).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Mint a badge key' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Mint badge key' })).toBeNull();
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByTestId('badge-markdown')).toBeNull();
    expect(calls.filter((c) => c.path.startsWith(keysPath))).toEqual([]);
  });
});
