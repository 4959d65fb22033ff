import type { DoraSettings } from '@dora/domain';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, orgPath, sendJson } from '../../../lib/api-client';
import { useCsrfToken } from '../../auth/api/me';

export const settingsQuery = (slug: string) =>
  queryOptions({ queryKey: ['orgs', slug, 'settings'], queryFn: () => getJson<DoraSettings>(orgPath(slug, 'dora/settings')) });

export function useSettings(slug: string) {
  return useQuery(settingsQuery(slug));
}

export function useUpdateSettings(slug: string) {
  const queryClient = useQueryClient();
  const csrf = useCsrfToken();
  return useMutation({
    mutationFn: (change: Partial<DoraSettings>) => sendJson<DoraSettings>('PUT', orgPath(slug, 'dora/settings'), change, csrf),
    onSuccess: (settings) => {
      queryClient.setQueryData(settingsQuery(slug).queryKey, settings);
      // Every number depends on the window and the time zone.
      void queryClient.invalidateQueries({ queryKey: ['orgs', slug] });
    },
  });
}
