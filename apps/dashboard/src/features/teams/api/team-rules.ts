import type { TeamRule, TeamRuleList, TeamRulesPreview } from '@dora/domain';
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, orgPath, sendJson } from '../../../lib/api-client';

export const teamRulesQuery = (slug: string) =>
  queryOptions({ queryKey: ['orgs', slug, 'team-rules'], queryFn: () => getJson<TeamRuleList>(orgPath(slug, 'teams/rules')) });

export function useTeamRules(slug: string) {
  return useQuery(teamRulesQuery(slug));
}

/** What a proposed list would attribute; nothing is saved, so it is asked like a read, once per distinct list. */
export const rulesPreviewQuery = (slug: string, rules: TeamRule[]) =>
  queryOptions({
    queryKey: [...teamRulesQuery(slug).queryKey, 'preview', rules],
    queryFn: () => sendJson<TeamRulesPreview>('POST', orgPath(slug, 'teams/rules/preview'), { rules }),
  });

/** `rules` null: nothing to preview (the list has mistakes to fix first). The last answer stays while the next is on its way. */
export function useRulesPreview(slug: string, rules: TeamRule[] | null) {
  return useQuery({ ...rulesPreviewQuery(slug, rules ?? []), enabled: rules !== null, placeholderData: keepPreviousData });
}

export function useSaveTeamRules(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (rules: TeamRule[]) => sendJson<TeamRuleList>('PUT', orgPath(slug, 'teams/rules'), { rules }),
    onSuccess: (saved) => {
      queryClient.setQueryData(teamRulesQuery(slug).queryKey, saved);
      // Every deployment was attributed again: every team's numbers may have moved.
      void queryClient.invalidateQueries({ queryKey: ['orgs', slug] });
    },
  });
}
