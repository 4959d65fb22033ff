import type { Team } from '@dora/domain';

/** How a team filter or attribution reads: the team's name when known, else its slug; none is "Unassigned". */
export function teamLabel(team: string | null, teams: readonly Pick<Team, 'slug' | 'name'>[] = []): string {
  if (team === null || team === 'unassigned') return 'Unassigned';
  return teams.find((t) => t.slug === team)?.name ?? team;
}
