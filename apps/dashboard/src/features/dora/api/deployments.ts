import type { DeploymentDetail, DeploymentItem, EnvironmentCount, Page } from '@dora/domain';
import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getJson, orgPath } from '../../../lib/api-client';

export interface DeploymentFilter {
  environment: string;
  repo?: string;
  /** A team's slug or `unassigned`. */
  team?: string;
  from?: string;
  to?: string;
  success?: boolean;
  is_rework?: boolean;
}

export const deploymentsQuery = (slug: string, filter: DeploymentFilter, limit = 50) =>
  infiniteQueryOptions({
    queryKey: ['orgs', slug, 'deployments', filter, limit],
    queryFn: ({ pageParam }) => getJson<Page<DeploymentItem>>(orgPath(slug, 'dora/deployments', { ...filter, limit, cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

/** Every deployment the filter selects (no page limit) as CSV, to download. */
export const deploymentsCsvPath = (slug: string, filter: DeploymentFilter) => orgPath(slug, 'dora/deployments.csv', { ...filter });

export function useDeployments(slug: string, filter: DeploymentFilter, options: { limit?: number; enabled?: boolean } = {}) {
  return useInfiniteQuery({ ...deploymentsQuery(slug, filter, options.limit), enabled: options.enabled ?? true });
}

/** The deployments behind one day of a sparkline, as plain data for the chart to draw. */
export interface DayDeployments {
  /** The day they are for; `null` while no day is chosen. */
  date: string | null;
  items: DeploymentItem[];
  pending: boolean;
  error: Error | null;
  /** More than these are behind the day. */
  more: boolean;
}

const NO_DAY: DayDeployments = { date: null, items: [], pending: false, error: null, more: false };

/**
 * The first `limit` deployments of a scope within one day (its `from`–`to`); nothing is fetched while
 * no day is chosen. `filter` says which deployments count for the metric (e.g. only successful ones).
 */
export function useDayDeployments(
  slug: string,
  filter: Omit<DeploymentFilter, 'from' | 'to'>,
  day: { date: string; from: string; to: string } | null,
  limit = 10,
): DayDeployments {
  const { environment, repo, team, ...which } = filter;
  const deployments = useDeployments(slug, { environment, repo, team, from: day?.from, to: day?.to, ...which }, { limit, enabled: day !== null });
  if (day === null) return NO_DAY;
  return {
    date: day.date,
    items: deployments.data?.pages.flatMap((page) => page.items) ?? [],
    pending: deployments.isPending,
    error: deployments.error,
    more: deployments.hasNextPage,
  };
}

export const deploymentQuery = (slug: string, id: string) =>
  queryOptions({
    queryKey: ['orgs', slug, 'deployment', id],
    queryFn: () => getJson<DeploymentDetail>(orgPath(slug, `dora/deployments/${encodeURIComponent(id)}`)),
  });

export function useDeployment(slug: string, id: string) {
  return useQuery(deploymentQuery(slug, id));
}

export const environmentsQuery = (slug: string) =>
  queryOptions({
    queryKey: ['orgs', slug, 'environments'],
    queryFn: () => getJson<{ items: EnvironmentCount[] }>(orgPath(slug, 'dora/environments')),
  });

export function useEnvironments(slug: string) {
  return useQuery(environmentsQuery(slug));
}
