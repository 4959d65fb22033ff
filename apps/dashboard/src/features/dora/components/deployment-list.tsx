import { LoadMore } from '../../../components/load-more';
import type { DeploymentItem, Team } from '@dora/domain';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { shortSha } from '../../../lib/format';
import { RelativeTime } from '../../../components/relative-time';
import { type DeploymentFilter, deploymentsCsvPath, useDeployment, useDeployments } from '../api/deployments';
import { ErrorMessage } from '../../../components/error-message';
import { useTeams } from '../../teams/api/teams';
import { teamLabel } from '../../teams/utils/team-label';
import { TableScroll } from '../../../components/table-scroll';
import { DeploymentResult } from './deployment-result';

/** Deployments newest first, each with its lineage: who reported it, with which reference, when it arrived, and its audit event. */
export function DeploymentList({ slug, filter }: { slug: string; filter: DeploymentFilter }) {
  const deployments = useDeployments(slug, filter);
  const teams = useTeams(slug).data?.items;
  const [open, setOpen] = useState<string | undefined>();
  if (deployments.isPending) return <p role="status">Loading deployments…</p>;
  if (deployments.isError) return <ErrorMessage error={deployments.error} prefix="Could not load the deployments: " />;
  const items = deployments.data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <p>No deployments match.</p>;
  return (
    <>
      <TableScroll label="Deployments">
        <table className="deployments">
          <thead>
            <tr>
              <th scope="col">Deployed</th>
              <th scope="col">Repository</th>
              <th scope="col" className="fold">Service</th>
              <th scope="col" className="fold">Team</th>
              <th scope="col">Environment</th>
              <th scope="col">Result</th>
              <th scope="col">Commit</th>
              <th scope="col" className="fold">External ref</th>
              <th scope="col" className="fold">Reported by</th>
              <th scope="col" className="fold">Received</th>
              <th scope="col">Audit</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <DeploymentRow key={d.id} slug={slug} deployment={d} teams={teams} open={open === d.id} onToggle={() => setOpen(open === d.id ? undefined : d.id)} />
            ))}
          </tbody>
        </table>
      </TableScroll>
      <LoadMore query={deployments} label="Older deployments" />
      <p>
        <a href={deploymentsCsvPath(slug, filter)} download>
          Download all these deployments (CSV)
        </a>
      </p>
    </>
  );
}

/** Who reported a deployment, in words. */
function sourceOf(by: DeploymentItem['ingested_by']): string {
  if (by.type === 'operator') return 'imported by the operator';
  return by.type === 'token' ? `API token “${by.name}”` : `Forgejo delivery ${by.id?.slice(0, 8) ?? ''}`;
}

function DeploymentRow({ slug, deployment: d, teams, open, onToggle }: { slug: string; deployment: DeploymentItem; teams: Team[] | undefined; open: boolean; onToggle: () => void }) {
  const source = sourceOf(d.ingested_by);
  const team = d.team === null ? null : <Link to={`/${slug}/_admin/dora/teams/${d.team}`}>{teamLabel(d.team, teams)}</Link>;
  return (
    <>
      <tr>
        <td>
          <RelativeTime iso={d.deployed_at} />
        </td>
        <td className="wrap">
          {d.repo_full_name}
          {/* The folded columns, shown here on a narrow screen instead. */}
          <dl className="folded">
            {d.service && <Folded term="Service">{d.service}</Folded>}
            {team && <Folded term="Team">{team}</Folded>}
            {d.external_ref && <Folded term="External ref">{d.external_ref}</Folded>}
            <Folded term="Reported by">{source}</Folded>
            <Folded term="Received">
              <RelativeTime iso={d.created_at} />
            </Folded>
          </dl>
        </td>
        <td className="fold wrap">{d.service ?? '—'}</td>
        <td className="fold">{team ?? '—'}</td>
        <td>{d.environment}</td>
        <td>
          <DeploymentResult deployment={d} />
        </td>
        <td>
          <code title={d.commit_sha ?? undefined}>{shortSha(d.commit_sha)}</code>
        </td>
        <td className="fold wrap">{d.external_ref ?? '—'}</td>
        <td className="fold wrap">{source}</td>
        <td className="fold">
          <RelativeTime iso={d.created_at} />
        </td>
        <td>
          <button type="button" aria-expanded={open} onClick={onToggle}>
            {open ? 'Hide' : 'Show'} audit event
          </button>
        </td>
      </tr>
      {open && (
        <tr className="detail">
          <td colSpan={11}>
            <AuditEvents slug={slug} id={d.id} />
          </td>
        </tr>
      )}
    </>
  );
}

function Folded({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt> <dd>{children}</dd>
    </div>
  );
}

function AuditEvents({ slug, id }: { slug: string; id: string }) {
  const detail = useDeployment(slug, id);
  if (detail.isPending) return <p role="status">Loading…</p>;
  if (detail.isError) return <ErrorMessage error={detail.error} />;
  return (
    <ul className="audit-events">
      {detail.data.audit_events.map((event) => (
        <li key={event.id}>
          <strong>{event.action}</strong> <RelativeTime iso={event.occurred_at} /> by {event.actor.type}{' '}
          <code>{event.actor.id}</code>
          {event.request_id && (
            <>
              {' '}
              · request <code>{event.request_id}</code>
            </>
          )}
          {event.ip && <> · from {event.ip}</>}
        </li>
      ))}
    </ul>
  );
}
