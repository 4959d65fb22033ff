import { LoadMore } from '../../../components/load-more';
import type { RepoMetrics } from '@dora/domain';
import { Link, useParams, useSearchParams } from 'react-router';
import { useRepos } from '../api/repos';
import { useSummary } from '../api/summary';
import { METRICS, type MetricView } from '../utils/metrics';
import { useScopeParams } from '../utils/scope-params';
import { BandBadge } from './band-badge';
import { ScopeControls } from './scope-controls';
import { ErrorMessage } from '../../../components/error-message';

const COLUMNS: { key: string; title: string; metric?: MetricView }[] = [
  { key: 'repo_full_name', title: 'Repository' },
  ...METRICS.map((metric) => ({ key: metric.key, title: metric.title, metric })),
  { key: 'deployments', title: 'Deploys' },
];

/** `/{slug}/_admin/dora/repos`: every metric per repository, sortable by any of them. */
export function ReposPage() {
  const { slug = '' } = useParams();
  const scope = useScopeParams();
  const [params, setParams] = useSearchParams();
  const sort = params.get('sort') ?? 'repo_full_name';
  const summary = useSummary({ slug, environment: scope.environment, window: scope.window });
  const repos = useRepos({ slug, environment: scope.environment, window: scope.window, sort });
  const sortBy = (key: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.set('sort', sort === key ? `-${key}` : key);
      return next;
    });
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
        />
      </div>
      {repos.isPending && <p role="status">Loading…</p>}
      <ErrorMessage error={repos.error} prefix="Could not load the repositories: " />
      {repos.isSuccess && items.length === 0 && <p>No repository has deployments in this window and environment.</p>}
      {items.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                {COLUMNS.map((column) => (
                  <th key={column.key} scope="col" aria-sort={sort === column.key ? 'ascending' : sort === `-${column.key}` ? 'descending' : 'none'}>
                    <button type="button" onClick={() => sortBy(column.key)}>
                      {column.title}
                      {sort === column.key ? ' ▲' : sort === `-${column.key}` ? ' ▼' : ''}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((repo) => (
                <RepoRow key={repo.repo_full_name} slug={slug} repo={repo} search={scope.search} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore query={repos} label="More repositories" />
    </main>
  );
}

function RepoRow({ slug, repo, search }: { slug: string; repo: RepoMetrics; search: string }) {
  return (
    <tr>
      <th scope="row">
        <Link to={`/${slug}/_admin/dora/repos/${repo.repo_full_name}${search}`}>{repo.repo_full_name}</Link>
      </th>
      {METRICS.map((metric) => (
        <td key={metric.key}>
          {metric.format(metric.value(repo))} {metric.key !== 'rework_rate' && <BandBadge band={metric.band(repo)} />}
        </td>
      ))}
      <td>{repo.change_failure_rate.total}</td>
    </tr>
  );
}
