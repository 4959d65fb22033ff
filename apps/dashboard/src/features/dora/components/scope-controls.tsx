import { WINDOW_DAYS } from '@dora/domain';
import { useTeams } from '../../teams/api/teams';
import { useEnvironments } from '../api/deployments';

/** The window switch (7d / 30d / 90d) where a page has a window, the environment selector and, where a page can narrow to one, the team selector. */
export function ScopeControls(props: {
  slug: string;
  windowDays?: number;
  environment: string;
  onWindow?: (days: number) => void;
  onEnvironment: (environment: string) => void;
  team?: string;
  onTeam?: (team: string | undefined) => void;
}) {
  const environments = useEnvironments(props.slug);
  const names = new Set([props.environment, 'production', ...(environments.data?.items.map((e) => e.environment) ?? [])]);
  return (
    <div className="controls">
      {props.onWindow && (
        <div role="group" aria-label="Window" className="segmented">
          {WINDOW_DAYS.map((days) => (
            <button key={days} type="button" aria-pressed={props.windowDays === days} onClick={() => props.onWindow?.(days)}>
              {days}d
            </button>
          ))}
        </div>
      )}
      <label>
        Environment{' '}
        <select value={props.environment} onChange={(e) => props.onEnvironment(e.target.value)}>
          {[...names].map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      {props.onTeam && <TeamSelect slug={props.slug} team={props.team} onTeam={props.onTeam} />}
    </div>
  );
}

/** "All teams", each team, "Unassigned"; nothing to choose while the org has no teams. */
export function TeamSelect({ slug, team, onTeam }: { slug: string; team: string | undefined; onTeam: (team: string | undefined) => void }) {
  const teams = useTeams(slug).data?.items ?? [];
  if (teams.length === 0 && team === undefined) return null;
  // A team the URL names but the org no longer has stays choosable, so the select says what the page shows.
  const unknown = team !== undefined && team !== 'unassigned' && !teams.some((t) => t.slug === team);
  return (
    <label>
      Team{' '}
      <select value={team ?? ''} onChange={(e) => onTeam(e.target.value || undefined)}>
        <option value="">All teams</option>
        {teams.map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name}
          </option>
        ))}
        {unknown && <option value={team}>{team}</option>}
        <option value="unassigned">Unassigned</option>
      </select>
    </label>
  );
}
