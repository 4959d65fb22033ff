import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { supplyCsrfToken } from '../features/auth/api/me';
import { ApiError } from '../lib/api-client';

/**
 * The one place that decides what a 401 means: the session is gone, so go and sign in, and come back
 * here afterwards. `goToLogin` is given by the router. The client also hands the session's CSRF token
 * (its cached `me`) to the API client for changes.
 */
export function createQueryClient(goToLogin: () => void): QueryClient {
  const onError = (error: Error) => {
    if (error instanceof ApiError && error.status === 401) goToLogin();
  };
  const queryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      },
    },
  });
  supplyCsrfToken(queryClient);
  return queryClient;
}
