import type { DeliveryItem, ForgejoOwnerItem } from '@dora/domain';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { meQuery } from '../../auth/api/me';
import { mockApi, renderAt } from '../../../test/render';
import { WebhooksPage } from './webhooks-page';

const owners = '/api/v1/orgs/acme/forgejo-owners';
const deliveries = '/api/v1/orgs/acme/webhooks/deliveries';
const skipped: DeliveryItem = {
  id: 'd1',
  delivery_id: 'x-1',
  event: 'release',
  action: 'published',
  status: 'skipped',
  attempts: 1,
  next_attempt_at: null,
  last_error: 'no org has the owner acme-labs',
  deployment_id: null,
  received_at: '2026-11-26T10:00:00.000Z',
  processed_at: null,
};
const mapped: ForgejoOwnerItem = { owner: 'acme', created_at: '2026-11-20T10:00:00.000Z' };

function renderWebhooks() {
  const rendered = renderAt('/acme/_admin/webhooks', [{ path: '/:slug/_admin/webhooks', element: <WebhooksPage /> }]);
  rendered.client.setQueryData(meQuery.queryKey, { user: { id: 'u1', email: 'ops@acme.test' }, orgs: [{ slug: 'acme', name: 'Acme', role: 'admin' }], csrf_token: 'the-csrf' });
  return rendered;
}

const page = (items: DeliveryItem[]) => ({ items, next_cursor: null });

describe('WebhooksPage: Forgejo owners', () => {
  it('lists the mapped owners above the deliveries and explains what a mapping does', async () => {
    mockApi({ [owners]: { items: [mapped] }, [deliveries]: page([skipped]) });
    renderWebhooks();
    const section = screen.getByRole('region', { name: 'Forgejo owners' });
    const list = await within(section).findByRole('list', { name: 'Mapped Forgejo owners' });
    expect(within(list).getAllByRole('listitem').map((item) => item.querySelector('code')?.textContent)).toEqual(['acme']);
    expect(within(section).getByText(/Releases of repositories owned by these Forgejo users or orgs become deployments of this org/)).toBeTruthy();
    expect(within(section).getByText(/kept as “skipped” and processed automatically once its owner is mapped/)).toBeTruthy();
    // Owners first, then the deliveries.
    const headings = screen.getAllByRole('heading').map((h) => h.textContent);
    expect(headings).toEqual(['Forgejo webhooks', 'Forgejo owners', 'Deliveries']);
    expect(await screen.findByText('no org has the owner acme-labs')).toBeTruthy();
  });

  it('says so when no owner is mapped', async () => {
    mockApi({ [owners]: { items: [] }, [deliveries]: page([]) });
    renderWebhooks();
    expect(await screen.findByText(/No owner mapped yet/)).toBeTruthy();
  });

  it('maps an owner with the CSRF token, then reloads the owners and the deliveries', async () => {
    let items: ForgejoOwnerItem[] = [mapped];
    const calls = mockApi({
      [owners]: (init) => {
        if (init?.method !== 'POST') return { status: 200, body: { items } };
        const added = { owner: 'acme-labs', created_at: '2026-11-27T10:00:00.000Z' };
        items = [...items, added];
        return { status: 201, body: added };
      },
      [deliveries]: page([skipped]),
    });
    renderWebhooks();
    await screen.findByRole('list', { name: 'Mapped Forgejo owners' });
    await screen.findByText('no org has the owner acme-labs');

    const input = screen.getByLabelText<HTMLInputElement>('Forgejo owner (user or org login)');
    fireEvent.change(input, { target: { value: ' acme-labs ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Map owner' }));

    expect(await screen.findByRole('button', { name: 'Remove acme-labs' })).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post).toMatchObject({ path: owners, body: { owner: 'acme-labs' } });
    expect(post.headers).toMatchObject({ 'X-CSRF-Token': 'the-csrf' });
    expect(input.value).toBe('');
    await vi.waitFor(() => expect(calls.filter((c) => c.path.startsWith(deliveries))).toHaveLength(2));
  });

  it("shows the API's message when another org has the owner", async () => {
    mockApi({
      [owners]: (init) =>
        init?.method === 'POST'
          ? { status: 409, body: { error: { code: 'conflict', message: 'The Forgejo owner "shared" belongs to another org' } } }
          : { status: 200, body: { items: [] } },
      [deliveries]: page([]),
    });
    renderWebhooks();
    fireEvent.change(await screen.findByLabelText('Forgejo owner (user or org login)'), { target: { value: 'shared' } });
    fireEvent.click(screen.getByRole('button', { name: 'Map owner' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The Forgejo owner "shared" belongs to another org');
    expect(screen.getByLabelText<HTMLInputElement>('Forgejo owner (user or org login)').value).toBe('shared');
  });

  it('removes an owner, after asking, with the CSRF token', async () => {
    let items: ForgejoOwnerItem[] = [mapped, { owner: 'acme-labs', created_at: '2026-11-27T10:00:00.000Z' }];
    const calls = mockApi({
      [owners]: () => ({ status: 200, body: { items } }),
      [deliveries]: page([]),
      [`${owners}/acme-labs`]: () => {
        items = items.filter((item) => item.owner !== 'acme-labs');
        return { status: 204, body: null };
      },
    });
    const confirm = vi.fn(() => true);
    vi.stubGlobal('confirm', confirm);
    renderWebhooks();
    fireEvent.click(await screen.findByRole('button', { name: 'Remove acme-labs' }));

    expect(confirm).toHaveBeenCalledWith('Stop taking releases of acme-labs into this org?');
    await vi.waitFor(() => expect(screen.queryByRole('button', { name: 'Remove acme-labs' })).toBeNull());
    expect(screen.getByRole('button', { name: 'Remove acme' })).toBeTruthy();
    const removal = calls.find((c) => c.method === 'DELETE')!;
    expect(removal.path).toBe(`${owners}/acme-labs`);
    expect(removal.headers).toMatchObject({ 'X-CSRF-Token': 'the-csrf' });
  });

  it('keeps an owner when the removal is not confirmed', async () => {
    const calls = mockApi({ [owners]: { items: [mapped] }, [deliveries]: page([]) });
    vi.stubGlobal('confirm', () => false);
    renderWebhooks();
    fireEvent.click(await screen.findByRole('button', { name: 'Remove acme' }));
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([]);
  });
});
