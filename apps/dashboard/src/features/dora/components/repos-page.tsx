import { LoadMore } from '../../../components/load-more';
import type { RepoMetrics } from '@dora/domain';
import { Link, useParams } from 'react-router';
import { reposCsvPath, useRepos } from '../api/repos';
import { useSummary } from '../api/summary';
import { useScopeParams } from '../utils/scope-params';
import { useSortParam } from '../utils/sort-param';
import { BreakdownHead, METRIC_COLUMNS, MetricCells } from './breakdown-table';
import { ScopeControls } from './scope-controls';
import { ErrorMessage } from '../../../components/error-message';
import { TableScroll } from '../../../components/table-scroll';

const COLUMNS = [{ key: 'repo_full_name', title: 'Repository' }, ...METRIC_COLUMNS];

/** `/{slug}/_admin/dora/repos`: every metric per repository, sortable by any of them. */
export function ReposPage() {
  const { slug = '' } = useParams();
  const scope = useScopeParams();
  const [sort, sortBy] = useSortParam('repo_full_name');
  const summary = useSummary({ slug, environment: scope.environment, team: scope.team, window: scope.window });
  const query = { slug, environment: scope.environment, team: scope.team, window: scope.window, sort };
  const repos = useRepos(query);
  const items = repos.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <main className="page">
      <div className="page-title">
        <h1>Repositories</h1>
        <ScopeControls
          slug={slug}
          windowDays={scope.window ?? summary.data?.window.days ?? 30}
          environment={scope.environment}
          onWindow={scope.setWindow}
          onEnvironment={scope.setEnvironment}
          team={scope.team}
          onTeam={scope.setTeam}
        />
      </div>
      {repos.isPending && <p role="status">Loading…</p>}
      <ErrorMessage error={repos.error} prefix="Could not load the repositories: " />
      {repos.isSuccess && items.length === 0 && <p>No repository has deployments in this window and environment{scope.team ? ' for this team' : ''}.</p>}
      {items.length > 0 && (
        <TableScroll label="Repositories">
          <table>
            <BreakdownHead columns={COLUMNS} sort={sort} onSort={sortBy} />
            <tbody>
              {items.map((repo) => (
                <RepoRow key={repo.repo_full_name} slug={slug} repo={repo} search={scope.search} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <LoadMore query={repos} label="More repositories" />
      {items.length > 0 && (
        <p>
          <a href={reposCsvPath(query)} download>
            Download all repositories (CSV)
          </a>
        </p>
      )}
    </main>
  );
}

function RepoRow({ slug, repo, search }: { slug: string; repo: RepoMetrics; search: string }) {
  return (
    <tr>
      <th scope="row">
        <Link to={`/${slug}/_admin/dora/repos/${repo.repo_full_name}${search}`}>{repo.repo_full_name}</Link>
      </th>
      <MetricCells metrics={repo} />
    </tr>
  );
}
