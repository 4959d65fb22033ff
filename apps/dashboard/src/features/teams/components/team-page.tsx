import type { ServiceMetrics } from '@dora/domain';
import { Link, useParams } from 'react-router';
import { ErrorMessage } from '../../../components/error-message';
import { LoadMore } from '../../../components/load-more';
import { ApiError } from '../../../lib/api-client';
import { useSummary } from '../../dora/api/summary';
import { BreakdownHead, METRIC_COLUMNS, MetricCells } from '../../dora/components/breakdown-table';
import { MetricCards } from '../../dora/components/metric-cards';
import { ScopeControls } from '../../dora/components/scope-controls';
import { scopeSearch, useScopeParams } from '../../dora/utils/scope-params';
import { useSortParam } from '../../dora/utils/sort-param';
import { useServices } from '../api/services';
import { useTeam } from '../api/teams';
import { TableScroll } from '../../../components/table-scroll';

const COLUMNS = [{ key: 'repo_full_name', title: 'Repository' }, { key: 'service', title: 'Service', sortable: false }, ...METRIC_COLUMNS];

/** `/{slug}/_admin/dora/teams/{team}`: one team's cards and sparklines, and the repos and services its deployments come from. */
export function TeamPage() {
  const { slug = '', team = '' } = useParams();
  const scope = useScopeParams();
  const [sort, sortBy] = useSortParam('repo_full_name');
  const details = useTeam(slug, team);
  const summary = useSummary({ slug, environment: scope.environment, team, window: scope.window });
  const services = useServices({ slug, environment: scope.environment, team, window: scope.window, sort });
  const items = services.data?.pages.flatMap((page) => page.items) ?? [];
  // This page is the team's: the URL's own `team` (left from another page) never narrows it.
  const teamScope = { window: scope.window, environment: scope.environment, team };
  const back = (
    <p>
      <Link to={`/${slug}/_admin/dora/teams${scopeSearch({ window: scope.window, environment: scope.environment })}`}>← All teams</Link>
    </p>
  );
  if (details.error instanceof ApiError && details.error.status === 404) {
    return (
      <main className="page">
        {back}
        <h1>No such team</h1>
        <p>This organisation has no team “{team}”: it may have been renamed or deleted.</p>
      </main>
    );
  }
  return (
    <main className="page">
      {back}
      <div className="page-title">
        <h1>{details.data?.name ?? team}</h1>
        <ScopeControls
          slug={slug}
          windowDays={scope.window ?? summary.data?.window.days ?? 30}
          environment={scope.environment}
          onWindow={scope.setWindow}
          onEnvironment={scope.setEnvironment}
        />
      </div>
      <ErrorMessage error={details.error} />
      <p className="hint">
        <code>{team}</code>
        {details.data && ` · ${details.data.rules} ${details.data.rules === 1 ? 'rule' : 'rules'}`} ·{' '}
        <Link to={`/${slug}/_admin/dora/deployments${scopeSearch({ environment: scope.environment, team })}`}>Its deployments</Link>
      </p>
      <MetricCards slug={slug} environment={scope.environment} window={scope.window} team={team} />
      <h2>Repositories and services</h2>
      {services.isPending && <p role="status">Loading…</p>}
      <ErrorMessage error={services.error} prefix="Could not load the repositories and services: " />
      {services.isSuccess && items.length === 0 && <p>No deployments of this team in this window and environment.</p>}
      {items.length > 0 && (
        <TableScroll label="The team’s repositories">
          <table>
            <BreakdownHead columns={COLUMNS} sort={sort} onSort={sortBy} />
            <tbody>
              {items.map((item) => (
                <ServiceRow key={`${item.repo_full_name} ${item.service ?? ''}`} slug={slug} item={item} search={scopeSearch(teamScope)} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <LoadMore query={services} label="More repositories and services" />
    </main>
  );
}

function ServiceRow({ slug, item, search }: { slug: string; item: ServiceMetrics; search: string }) {
  return (
    <tr>
      <th scope="row">
        <Link to={`/${slug}/_admin/dora/repos/${item.repo_full_name}${search}`}>{item.repo_full_name}</Link>
      </th>
      <td>{item.service ?? <span className="hint">no service</span>}</td>
      <MetricCells metrics={item} />
    </tr>
  );
}
