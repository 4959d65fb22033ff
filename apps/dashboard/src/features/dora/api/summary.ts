import type { DoraSummary } from '@dora/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson, orgPath } from '../../../lib/api-client';

export interface Scope {
  slug: string;
  environment: string;
  repo?: string;
  /** A team's slug or `unassigned`; absent = every deployment. */
  team?: string;
  /** Days; absent = the org's setting. */
  window?: number;
}

export const summaryQuery = (scope: Scope) =>
  queryOptions({
    queryKey: ['orgs', scope.slug, 'summary', scope.environment, scope.repo ?? null, scope.team ?? null, scope.window ?? null],
    queryFn: () =>
      getJson<DoraSummary>(orgPath(scope.slug, 'dora/summary', { environment: scope.environment, repo: scope.repo, team: scope.team, window: scope.window })),
  });

export function useSummary(scope: Scope) {
  return useQuery(summaryQuery(scope));
}
