import type { Me } from '@dora/domain';
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson } from '../../../lib/api-client';

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: () => getJson<Me>('/api/v1/auth/me'),
  staleTime: 60_000,
  retry: false,
});

export function useMe() {
  return useQuery(meQuery);
}

/** The signed-in session's CSRF token, for changes. */
export function useCsrfToken(): string | undefined {
  return useQueryClient().getQueryData(meQuery.queryKey)?.csrf_token;
}
