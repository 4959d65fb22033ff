import type { DoraSettings } from '@dora/domain';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, orgPath, sendJson } from '../../../lib/api-client';

export const settingsQuery = (slug: string) =>
  queryOptions({ queryKey: ['orgs', slug, 'settings'], queryFn: () => getJson<DoraSettings>(orgPath(slug, 'dora/settings')) });

export function useSettings(slug: string) {
  return useQuery(settingsQuery(slug));
}

export function useUpdateSettings(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: Partial<DoraSettings>) => sendJson<DoraSettings>('PUT', orgPath(slug, 'dora/settings'), change),
    onSuccess: (settings) => {
      queryClient.setQueryData(settingsQuery(slug).queryKey, settings);
      // Every number depends on the window and the time zone.
      void queryClient.invalidateQueries({ queryKey: ['orgs', slug] });
    },
  });
}
