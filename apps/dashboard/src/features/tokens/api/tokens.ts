import type { ApiTokenItem, MintedToken, MintTokenRequest, RotatedToken, RotateTokenRequest } from '@dora/domain';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, orgPath, sendJson } from '../../../lib/api-client';

export const tokensQuery = (slug: string) =>
  queryOptions({ queryKey: ['orgs', slug, 'tokens'], queryFn: () => getJson<{ items: ApiTokenItem[] }>(orgPath(slug, 'tokens')) });

export function useTokens(slug: string) {
  return useQuery(tokensQuery(slug));
}

export function useMintToken(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: MintTokenRequest) => sendJson<MintedToken>('POST', orgPath(slug, 'tokens'), request),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensQuery(slug).queryKey }),
  });
}

export function useRevokeToken(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => sendJson<{ id: string; revoked_at: string }>('DELETE', orgPath(slug, `tokens/${id}`)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensQuery(slug).queryKey }),
  });
}

/** A new secret under the same name and scopes; the old one keeps working for the grace period. */
export function useRotateToken(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...request }: RotateTokenRequest & { id: string }) => sendJson<RotatedToken>('POST', orgPath(slug, `tokens/${id}/rotate`), request),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensQuery(slug).queryKey }),
  });
}
