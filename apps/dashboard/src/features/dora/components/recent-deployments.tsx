import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorMessage } from '../../../components/error-message';
import { RelativeTime } from '../../../components/relative-time';
import { shortSha } from '../../../lib/format';
import { useDeployments } from '../api/deployments';
import { dayBefore, localDateTimeValue } from '../utils/last-day';
import { scopeSearch } from '../utils/scope-params';
import { TableScroll } from '../../../components/table-scroll';
import { DeploymentResult } from './deployment-result';

/** How many the overview lists; the deployments page has the rest. */
const SHOWN = 10;

/** The deployments of the last 24 hours, newest first, in the page's environment and team. */
export function RecentDeployments(props: { slug: string; environment: string; team?: string }) {
  // Fixed at the first render: the query's key must not move with every render.
  const [from] = useState(() => dayBefore(Date.now()));
  const deployments = useDeployments(props.slug, { environment: props.environment, team: props.team, from }, { limit: SHOWN });
  const params = new URLSearchParams({ from: localDateTimeValue(from) });
  if (props.environment !== 'production') params.set('environment', props.environment);
  if (props.team) params.set('team', props.team);
  const scope = scopeSearch({ environment: props.environment, team: props.team });
  const items = deployments.data?.pages[0]?.items ?? [];
  return (
    <section className="recent" aria-labelledby="recent-heading">
      <div className="section-title">
        <h2 id="recent-heading">Last 24 hours</h2>
        <Link to={`/${props.slug}/_admin/dora/deployments?${params}`}>All deployments since then</Link>
      </div>
      <ErrorMessage error={deployments.error} prefix="Could not load the deployments: " />
      {deployments.isPending && (
        <div className="recent-skeleton" aria-busy="true">
          <span className="visually-hidden" role="status">
            Loading the deployments
          </span>
          <span className="skeleton skeleton-table" aria-hidden="true" />
        </div>
      )}
      {deployments.isSuccess && items.length === 0 && <p className="empty-line">No deployments in the last 24 hours.</p>}
      {items.length > 0 && (
        <TableScroll label="Deployments of the last 24 hours">
          <table className="recent-deployments">
            <thead>
              <tr>
                <th scope="col">Repository</th>
                <th scope="col">Environment</th>
                <th scope="col">Result</th>
                <th scope="col">Commit</th>
                <th scope="col">Deployed</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <td className="wrap">
                    <Link to={`/${props.slug}/_admin/dora/repos/${d.repo_full_name}${scope}`}>{d.repo_full_name}</Link>
                    {d.service && ` · ${d.service}`}
                  </td>
                  <td>{d.environment}</td>
                  <td>
                    <DeploymentResult deployment={d} />
                  </td>
                  <td>
                    <code title={d.commit_sha ?? undefined}>{shortSha(d.commit_sha)}</code>
                  </td>
                  <td>
                    <RelativeTime iso={d.deployed_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {deployments.hasNextPage && <p className="hint">The latest {SHOWN}; the deployments page lists them all.</p>}
    </section>
  );
}
