import type { DoraSeries, SeriesInterval } from '@dora/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson, orgPath } from '../../../lib/api-client';
import type { Scope } from './summary';

/** How far back each interval's series reaches: 30 days (the sparklines' too), 12 weeks, 12 months. */
const LENGTHS: Record<SeriesInterval, { interval?: SeriesInterval; days?: number; periods?: number }> = {
  day: { days: 30 },
  week: { interval: 'week', periods: 12 },
  month: { interval: 'month', periods: 12 },
};

const seriesParams = (scope: Omit<Scope, 'window'>, interval: SeriesInterval) => ({ environment: scope.environment, repo: scope.repo, team: scope.team, ...LENGTHS[interval] });

export const seriesQuery = (scope: Omit<Scope, 'window'>, interval: SeriesInterval = 'day') =>
  queryOptions({
    queryKey: ['orgs', scope.slug, 'series', scope.environment, scope.repo ?? null, scope.team ?? null, interval],
    queryFn: () => getJson<DoraSeries>(orgPath(scope.slug, 'dora/series', seriesParams(scope, interval))),
  });

export function useSeries(scope: Omit<Scope, 'window'>, interval: SeriesInterval = 'day') {
  return useQuery(seriesQuery(scope, interval));
}

/** The same series as CSV, to download. */
export const seriesCsvPath = (scope: Omit<Scope, 'window'>, interval: SeriesInterval) => orgPath(scope.slug, 'dora/series.csv', seriesParams(scope, interval));
