import type { ServiceStatus } from '@dora/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson } from '../../../lib/api-client';

export const statusQuery = queryOptions({
  queryKey: ['status'],
  queryFn: () => getJson<ServiceStatus>('/api/v1/status'),
  refetchInterval: 30_000,
});

export function useStatus() {
  return useQuery(statusQuery);
}
