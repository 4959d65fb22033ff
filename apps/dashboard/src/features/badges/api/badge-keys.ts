import type { BadgeKeyItem, BadgeKeyList, MintBadgeKeyRequest, MintedBadgeKey } from '@dora/domain';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, orgPath, sendJson } from '../../../lib/api-client';

export const badgeKeysQuery = (slug: string) =>
  queryOptions({ queryKey: ['orgs', slug, 'badge-keys'], queryFn: () => getJson<BadgeKeyList>(orgPath(slug, 'badge-keys')) });

/** The org's badge keys (never the keys themselves); admins only, so asked only when `enabled`. */
export function useBadgeKeys(slug: string, enabled: boolean) {
  return useQuery({ ...badgeKeysQuery(slug), enabled });
}

export function useMintBadgeKey(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: MintBadgeKeyRequest) => sendJson<MintedBadgeKey>('POST', orgPath(slug, 'badge-keys'), request),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: badgeKeysQuery(slug).queryKey }),
  });
}

export function useRevokeBadgeKey(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => sendJson<BadgeKeyItem>('DELETE', orgPath(slug, `badge-keys/${id}`)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: badgeKeysQuery(slug).queryKey }),
  });
}
