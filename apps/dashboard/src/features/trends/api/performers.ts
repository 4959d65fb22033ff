import type { DoraPerformers } from '@dora/domain';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { getJson, orgPath } from '../../../lib/api-client';
import type { TrendScope } from './comparison';

export type PerformersBy = DoraPerformers['by'];

/** Six months; the lead time banded is the org's basis (the API's default). */
const performersParams = (scope: TrendScope, by: PerformersBy) => ({ environment: scope.environment, repo: scope.repo, team: scope.team, months: 6, by });

export const performersQuery = (scope: TrendScope, by: PerformersBy) =>
  queryOptions({
    queryKey: ['orgs', scope.slug, 'performers', scope.environment, scope.repo ?? null, scope.team ?? null, by],
    queryFn: () => getJson<DoraPerformers>(orgPath(scope.slug, 'dora/performers', performersParams(scope, by))),
  });

/** Switching between repos and teams keeps the bars on show until the other answer is in. */
export function usePerformers(scope: TrendScope, by: PerformersBy) {
  return useQuery({ ...performersQuery(scope, by), placeholderData: keepPreviousData });
}

export const performersCsvPath = (scope: TrendScope, by: PerformersBy) => orgPath(scope.slug, 'dora/performers.csv', performersParams(scope, by));
