import type { Team, TeamList } from '@dora/domain';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, orgPath, sendJson } from '../../../lib/api-client';

export const teamsQuery = (slug: string) =>
  queryOptions({ queryKey: ['orgs', slug, 'teams'], queryFn: () => getJson<TeamList>(orgPath(slug, 'teams')) });

export function useTeams(slug: string) {
  return useQuery(teamsQuery(slug));
}

export const teamQuery = (slug: string, team: string) =>
  queryOptions({ queryKey: [...teamsQuery(slug).queryKey, team], queryFn: () => getJson<Team>(orgPath(slug, `teams/${encodeURIComponent(team)}`)) });

export function useTeam(slug: string, team: string) {
  return useQuery(teamQuery(slug, team));
}

/** A team's change moves numbers everywhere (a deletion re-attributes its deployments, a new slug renames a filter): all of the org's answers are asked again. */
function useInvalidateOrg(slug: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['orgs', slug] });
}

export function useCreateTeam(slug: string) {
  const invalidate = useInvalidateOrg(slug);
  return useMutation({
    mutationFn: (team: { slug: string; name: string }) => sendJson<Team>('POST', orgPath(slug, 'teams'), team),
    onSuccess: invalidate,
  });
}

export function useUpdateTeam(slug: string) {
  const invalidate = useInvalidateOrg(slug);
  return useMutation({
    mutationFn: ({ team, ...change }: { team: string; slug?: string; name?: string }) => sendJson<Team>('PATCH', orgPath(slug, `teams/${encodeURIComponent(team)}`), change),
    onSuccess: invalidate,
  });
}

export function useDeleteTeam(slug: string) {
  const invalidate = useInvalidateOrg(slug);
  return useMutation({
    mutationFn: (team: string) => sendJson<void>('DELETE', orgPath(slug, `teams/${encodeURIComponent(team)}`)),
    onSuccess: invalidate,
  });
}
