import { useParams } from 'react-router';
import { useEnvironments } from '../api/deployments';
import { useSummary } from '../api/summary';
import { metricByKey } from '../utils/metrics';
import { scopeSearch, useScopeParams } from '../utils/scope-params';
import { EmptyState } from './empty-state';
import { MetricCards } from './metric-cards';
import { OrgSummary } from './org-summary';
import { RecentDeployments } from './recent-deployments';
import { ScopeControls } from './scope-controls';
import { WeeklyTrends } from './weekly-trends';

/** `/{slug}/_admin/dora`: where the org's delivery stands, why, and what changed. */
export function DoraPage() {
  const { slug = '' } = useParams();
  const scope = useScopeParams();
  const environments = useEnvironments(slug);
  const summary = useSummary({ slug, environment: scope.environment, team: scope.team, window: scope.window });
  /** Worst first: the repos that pull this metric down lead the breakdown. */
  const reposHref = (key: string) => {
    const better = metricByKey(key)?.better;
    const params = new URLSearchParams(scope.search.replace(/^\?/, ''));
    params.set('sort', better === 'higher' ? key : `-${key}`);
    return `/${slug}/_admin/dora/repos?${params}`;
  };
  const trendHref = (key: string, interval?: 'week') => {
    const params = new URLSearchParams(scopeSearch({ environment: scope.environment, team: scope.team }).replace(/^\?/, ''));
    params.set('metric', key);
    if (interval) params.set('interval', interval);
    return `/${slug}/_admin/dora/trends?${params}`;
  };
  return (
    <main className="page">
      <div className="page-title">
        <h1>DORA metrics</h1>
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
      {environments.isSuccess && environments.data.items.length === 0 ? (
        <EmptyState slug={slug} />
      ) : (
        <>
          <OrgSummary slug={slug} environment={scope.environment} window={scope.window} team={scope.team} reposHref={reposHref} />
          <MetricCards slug={slug} environment={scope.environment} window={scope.window} team={scope.team} reposHref={reposHref} trendHref={(key) => trendHref(key)} />
          <WeeklyTrends slug={slug} environment={scope.environment} team={scope.team} trendHref={(key) => trendHref(key, 'week')} />
          <RecentDeployments slug={slug} environment={scope.environment} team={scope.team} />
        </>
      )}
    </main>
  );
}
