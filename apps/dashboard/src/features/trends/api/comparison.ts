import type { DoraComparison } from '@dora/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson, orgPath } from '../../../lib/api-client';
import type { Scope } from '../../dora/api/summary';

export type TrendScope = Omit<Scope, 'window'>;

const comparisonParams = (scope: TrendScope) => ({ environment: scope.environment, repo: scope.repo, team: scope.team });

export const comparisonQuery = (scope: TrendScope) =>
  queryOptions({
    queryKey: ['orgs', scope.slug, 'comparison', scope.environment, scope.repo ?? null, scope.team ?? null],
    queryFn: () => getJson<DoraComparison>(orgPath(scope.slug, 'dora/comparison', comparisonParams(scope))),
  });

export function useComparison(scope: TrendScope) {
  return useQuery(comparisonQuery(scope));
}

export const comparisonCsvPath = (scope: TrendScope) => orgPath(scope.slug, 'dora/comparison.csv', comparisonParams(scope));
