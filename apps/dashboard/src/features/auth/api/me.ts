import type { Me } from '@dora/domain';
import { type QueryClient, queryOptions, useQuery } from '@tanstack/react-query';
import { getJson, setCsrfTokenSource } from '../../../lib/api-client';

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: () => getJson<Me>('/api/v1/auth/me'),
  staleTime: 60_000,
  retry: false,
});

export function useMe() {
  return useQuery(meQuery);
}

/**
 * Makes the API client send the signed-in session's CSRF token (the one `me` answered, as cached) with
 * every change: the one place that hands it over. Signing out clears the cache, and with it the token.
 */
export function supplyCsrfToken(queryClient: QueryClient): void {
  setCsrfTokenSource(() => queryClient.getQueryData(meQuery.queryKey)?.csrf_token);
}
