import { LoadMore } from '../../../components/load-more';
import { useParams, useSearchParams } from 'react-router';
import { formatDateTime } from '../../../lib/format';
import { useDeliveries, useRetryDelivery } from '../api/deliveries';
import { ErrorMessage } from '../../../components/error-message';
import { ForgejoOwners } from './forgejo-owners';
import { TableScroll } from '../../../components/table-scroll';
import { RelativeTime } from '../../../components/relative-time';

/** `/{slug}/_admin/webhooks`: which Forgejo owners' releases belong to the org, its Forgejo deliveries, and a retry for the failed ones. */
export function WebhooksPage() {
  const { slug = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') || undefined;
  const deliveries = useDeliveries(slug, status);
  const retry = useRetryDelivery(slug);
  const items = deliveries.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <main className="page">
      <h1>Forgejo webhooks</h1>
      <ForgejoOwners slug={slug} />
      <h2>Deliveries</h2>
      <label>
        Status{' '}
        <select value={status ?? ''} onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {})}>
          <option value="">all</option>
          <option>pending</option>
          <option>processed</option>
          <option>skipped</option>
          <option>failed</option>
        </select>
      </label>
      {deliveries.isPending && <p role="status">Loading…</p>}
      <ErrorMessage error={deliveries.error} />
      <ErrorMessage error={retry.error} />
      {deliveries.isSuccess && items.length === 0 && <p>No deliveries for this organisation{status ? ` with status ${status}` : ''}.</p>}
      {items.length > 0 && (
        <TableScroll label="Webhook deliveries">
          <table>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Deployment</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <td>
                    <RelativeTime iso={d.received_at} />
                  </td>
                  <td>
                    {d.event}
                    {d.action ? `/${d.action}` : ''}
                  </td>
                  <td>{d.status === 'pending' && d.next_attempt_at ? `pending (next try ${formatDateTime(d.next_attempt_at)})` : d.status}</td>
                  <td>{d.attempts}</td>
                  <td>{d.last_error ?? '—'}</td>
                  <td>{d.deployment_id ? <code>{d.deployment_id.slice(0, 8)}</code> : '—'}</td>
                  <td>
                    {d.status === 'failed' && (
                      <button type="button" onClick={() => retry.mutate(d.id)} disabled={retry.isPending}>
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <LoadMore query={deliveries} label="Older deliveries" />
    </main>
  );
}
