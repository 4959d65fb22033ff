import type { ServicePage } from '@dora/domain';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { getJson, orgPath } from '../../../lib/api-client';

export interface ServicesQuery {
  slug: string;
  environment: string;
  /** A team's slug or `unassigned`; absent = every repo and service. */
  team?: string;
  window?: number;
  sort: string;
}

/** The metrics per repo and service (service null: the repo's deployments that name none), a page at a time. */
export const servicesQuery = (query: ServicesQuery) =>
  infiniteQueryOptions({
    queryKey: ['orgs', query.slug, 'services', query.environment, query.team ?? null, query.window ?? null, query.sort],
    queryFn: ({ pageParam }) =>
      getJson<ServicePage>(
        orgPath(query.slug, 'dora/services', { environment: query.environment, team: query.team, window: query.window, sort: query.sort, cursor: pageParam }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

export function useServices(query: ServicesQuery) {
  return useInfiniteQuery(servicesQuery(query));
}
