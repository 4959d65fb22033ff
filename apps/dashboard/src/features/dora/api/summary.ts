import type { DoraSummary } from '@dora/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson, orgPath } from '../../../lib/api-client';

export interface Scope {
  slug: string;
  environment: string;
  repo?: string;
  /** Days; absent = the org's setting. */
  window?: number;
}

export const summaryQuery = (scope: Scope) =>
  queryOptions({
    queryKey: ['orgs', scope.slug, 'summary', scope.environment, scope.repo ?? null, scope.window ?? null],
    queryFn: () => getJson<DoraSummary>(orgPath(scope.slug, 'dora/summary', { environment: scope.environment, repo: scope.repo, window: scope.window })),
  });

export function useSummary(scope: Scope) {
  return useQuery(summaryQuery(scope));
}
