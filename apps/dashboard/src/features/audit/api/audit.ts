import type { AuditEventItem, Page } from '@dora/domain';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { getJson, orgPath } from '../../../lib/api-client';

export interface AuditFilter {
  action?: string;
  from?: string;
  to?: string;
}

export const auditQuery = (slug: string, filter: AuditFilter) =>
  infiniteQueryOptions({
    queryKey: ['orgs', slug, 'audit', filter],
    queryFn: ({ pageParam }) => getJson<Page<AuditEventItem>>(orgPath(slug, 'audit', { ...filter, limit: 50, cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

export function useAudit(slug: string, filter: AuditFilter) {
  return useInfiniteQuery(auditQuery(slug, filter));
}
