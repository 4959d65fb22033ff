import { LoadMore } from '../../../components/load-more';
import { useParams } from 'react-router';
import { useSearchParam } from '../../../lib/use-search-param';
import { useAudit } from '../api/audit';
import { ErrorMessage } from '../../../components/error-message';
import { TimeRangeFilter, timeRangeOf } from '../../../components/time-range-filter';
import { TableScroll } from '../../../components/table-scroll';
import { RelativeTime } from '../../../components/relative-time';

const ACTIONS = [
  'api.dora.deployments.ingested',
  'auth.login',
  'auth.login.failed',
  'auth.logout',
  'auth.token.created',
  'auth.token.revoked',
  'dora.settings.updated',
  'org.created',
  'org.member.added',
  'webhook.delivery.retried',
];


/** `/{slug}/_admin/audit`: who did what, newest first. */
export function AuditPage() {
  const { slug = '' } = useParams();
  const [params, set] = useSearchParam();
  const audit = useAudit(slug, { action: params.get('action') || undefined, ...timeRangeOf(params) });
  const items = audit.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <main className="page">
      <h1>Audit log</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label>
          Action
          <select value={params.get('action') ?? ''} onChange={(e) => set('action', e.target.value)}>
            <option value="">all</option>
            {ACTIONS.map((action) => (
              <option key={action}>{action}</option>
            ))}
          </select>
        </label>
        <TimeRangeFilter params={params} set={set} />
      </form>
      {audit.isPending && <p role="status">Loading…</p>}
      <ErrorMessage error={audit.error} />
      {audit.isSuccess && items.length === 0 && <p>No events match.</p>}
      {items.length > 0 && (
        <TableScroll label="Audit events">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">By</th>
                <th scope="col">Subject</th>
                <th scope="col">Request</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {items.map((event) => (
                <tr key={event.id}>
                  <td>
                    <RelativeTime iso={event.occurred_at} />
                  </td>
                  <td>{event.action}</td>
                  <td>
                    {event.actor.type} <code>{event.actor.id}</code>
                  </td>
                  <td>
                    {event.subject.type} <code>{event.subject.id}</code>
                  </td>
                  <td>{event.request_id ? <code>{event.request_id}</code> : '—'}</td>
                  <td>
                    <code className="metadata">{JSON.stringify(event.metadata)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <LoadMore query={audit} label="Older events" />
    </main>
  );
}
