import type { DeploymentDetail, DeploymentItem, EnvironmentCount, Page } from '@dora/domain';
import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getJson, orgPath } from '../../../lib/api-client';

export interface DeploymentFilter {
  environment: string;
  repo?: string;
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

export function useDeployments(slug: string, filter: DeploymentFilter, options: { limit?: number; enabled?: boolean } = {}) {
  return useInfiniteQuery({ ...deploymentsQuery(slug, filter, options.limit), enabled: options.enabled ?? true });
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
