import type { Page, RepoMetrics } from '@dora/domain';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { getJson, orgPath } from '../../../lib/api-client';

export interface ReposQuery {
  slug: string;
  environment: string;
  /** A team's slug or `unassigned`; absent = every repo. */
  team?: string;
  window?: number;
  sort: string;
}

export const reposQuery = (query: ReposQuery) =>
  infiniteQueryOptions({
    queryKey: ['orgs', query.slug, 'repos', query.environment, query.team ?? null, query.window ?? null, query.sort],
    queryFn: ({ pageParam }) =>
      getJson<Page<RepoMetrics>>(
        orgPath(query.slug, 'dora/repos', { environment: query.environment, team: query.team, window: query.window, sort: query.sort, cursor: pageParam }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

/** Every repo of the breakdown (no page limit) as CSV, to download. */
export const reposCsvPath = (query: ReposQuery) =>
  orgPath(query.slug, 'dora/repos.csv', { environment: query.environment, team: query.team, window: query.window, sort: query.sort });

export function useRepos(query: ReposQuery) {
  return useInfiniteQuery(reposQuery(query));
}
