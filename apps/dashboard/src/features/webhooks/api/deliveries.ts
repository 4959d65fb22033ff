import type { DeliveryItem, Page } from '@dora/domain';
import { infiniteQueryOptions, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { getJson, orgPath, sendJson } from '../../../lib/api-client';

/** The key of every status filter's deliveries, to invalidate them all. */
export const deliveriesKey = (slug: string) => ['orgs', slug, 'deliveries'] as const;

export const deliveriesQuery = (slug: string, status: string | undefined) =>
  infiniteQueryOptions({
    queryKey: [...deliveriesKey(slug), status ?? null],
    queryFn: ({ pageParam }) => getJson<Page<DeliveryItem>>(orgPath(slug, 'webhooks/deliveries', { status, cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

export function useDeliveries(slug: string, status: string | undefined) {
  return useInfiniteQuery(deliveriesQuery(slug, status));
}

export function useRetryDelivery(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => sendJson<DeliveryItem>('POST', orgPath(slug, `webhooks/deliveries/${id}/retry`)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: deliveriesKey(slug) }),
  });
}
