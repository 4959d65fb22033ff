import type { ForgejoOwnerItem, MapForgejoOwnerRequest } from '@dora/domain';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, orgPath, sendJson } from '../../../lib/api-client';
import { deliveriesKey } from './deliveries';

export const forgejoOwnersQuery = (slug: string) =>
  queryOptions({
    queryKey: ['orgs', slug, 'forgejo-owners'],
    queryFn: () => getJson<{ items: ForgejoOwnerItem[] }>(orgPath(slug, 'forgejo-owners')),
  });

export function useForgejoOwners(slug: string) {
  return useQuery(forgejoOwnersQuery(slug));
}

/** Maps an owner to the org; its skipped deliveries get processed, so the deliveries change too. 409: another org has it. */
export function useMapForgejoOwner(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: MapForgejoOwnerRequest) => sendJson<ForgejoOwnerItem>('POST', orgPath(slug, 'forgejo-owners'), request),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: forgejoOwnersQuery(slug).queryKey }),
        queryClient.invalidateQueries({ queryKey: deliveriesKey(slug) }),
      ]),
  });
}

export function useRemoveForgejoOwner(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (owner: string) => sendJson<void>('DELETE', orgPath(slug, `forgejo-owners/${encodeURIComponent(owner)}`)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: forgejoOwnersQuery(slug).queryKey }),
  });
}
