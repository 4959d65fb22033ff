import type { TeamMetricsList } from '@dora/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson, orgPath } from '../../../lib/api-client';

export interface TeamMetricsQuery {
  slug: string;
  environment: string;
  window?: number;
  sort: string;
}

/** Every team and the unassigned deployments, one row each, on one page. */
export const teamMetricsQuery = (query: TeamMetricsQuery) =>
  queryOptions({
    queryKey: ['orgs', query.slug, 'team-metrics', query.environment, query.window ?? null, query.sort],
    queryFn: () => getJson<TeamMetricsList>(orgPath(query.slug, 'dora/teams', { environment: query.environment, window: query.window, sort: query.sort })),
  });

/** The same rows as CSV, to download. */
export const teamMetricsCsvPath = (query: TeamMetricsQuery) =>
  orgPath(query.slug, 'dora/teams.csv', { environment: query.environment, window: query.window, sort: query.sort });

export function useTeamMetrics(query: TeamMetricsQuery) {
  return useQuery(teamMetricsQuery(query));
}
