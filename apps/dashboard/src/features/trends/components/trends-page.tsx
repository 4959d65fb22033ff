import { SERIES_INTERVALS, type SeriesInterval } from '@dora/domain';
import { useParams } from 'react-router';
import { useSearchParam } from '../../../lib/use-search-param';
import { useEnvironments } from '../../dora/api/deployments';
import { EmptyState } from '../../dora/components/empty-state';
import { ScopeControls } from '../../dora/components/scope-controls';
import { useScopeParams } from '../../dora/utils/scope-params';
import type { PerformersBy } from '../api/performers';
import { ComparisonTable } from './comparison-table';
import { PerformersCharts } from './performers-charts';
import { TrendCharts } from './trend-charts';

/** `/{slug}/_admin/dora/trends`: whether delivery is getting better — the metrics over time, compared, and who performs how. */
export function TrendsPage() {
  const { slug = '' } = useParams();
  const scope = useScopeParams();
  const [params, set] = useSearchParam();
  const environments = useEnvironments(slug);
  const interval = (SERIES_INTERVALS as readonly string[]).includes(params.get('interval') ?? '') ? (params.get('interval') as SeriesInterval) : 'day';
  const by: PerformersBy = params.get('by') === 'team' ? 'team' : 'repo';
  const trendScope = { slug, environment: scope.environment, team: scope.team };
  return (
    <main className="page">
      <div className="page-title">
        <h1>Trends</h1>
        <ScopeControls slug={slug} environment={scope.environment} onEnvironment={scope.setEnvironment} team={scope.team} onTeam={scope.setTeam} />
      </div>
      {environments.isSuccess && environments.data.items.length === 0 ? (
        <EmptyState slug={slug} />
      ) : (
        <>
          <TrendCharts
            scope={trendScope}
            interval={interval}
            onInterval={(next) => set('interval', next === 'day' ? undefined : next)}
            highlighted={params.get('metric') ?? undefined}
          />
          <ComparisonTable scope={trendScope} />
          <PerformersCharts scope={trendScope} by={by} onBy={(next) => set('by', next === 'repo' ? undefined : next)} />
        </>
      )}
    </main>
  );
}
