import type { CreateIdentityProviderRequest, IdentityProviderItem } from '@dora/domain';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, orgPath, sendJson } from '../../../lib/api-client';

export const identityProvidersQuery = (slug: string) =>
  queryOptions({
    queryKey: ['orgs', slug, 'identity-providers'],
    queryFn: () => getJson<{ items: IdentityProviderItem[] }>(orgPath(slug, 'identity-providers')),
  });

export function useIdentityProviders(slug: string) {
  return useQuery(identityProvidersQuery(slug));
}

export function useAddIdentityProvider(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateIdentityProviderRequest) => sendJson<IdentityProviderItem>('POST', orgPath(slug, 'identity-providers'), request),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: identityProvidersQuery(slug).queryKey }),
  });
}

export function useRemoveIdentityProvider(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => sendJson<void>('DELETE', orgPath(slug, `identity-providers/${id}`)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: identityProvidersQuery(slug).queryKey }),
  });
}
