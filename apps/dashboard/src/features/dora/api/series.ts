import type { DoraSeries } from '@dora/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson, orgPath } from '../../../lib/api-client';
import type { Scope } from './summary';

export const seriesQuery = (scope: Omit<Scope, 'window'>, days = 30) =>
  queryOptions({
    queryKey: ['orgs', scope.slug, 'series', scope.environment, scope.repo ?? null, scope.team ?? null, days],
    queryFn: () => getJson<DoraSeries>(orgPath(scope.slug, 'dora/series', { environment: scope.environment, repo: scope.repo, team: scope.team, days })),
  });

export function useSeries(scope: Omit<Scope, 'window'>, days = 30) {
  return useQuery(seriesQuery(scope, days));
}
