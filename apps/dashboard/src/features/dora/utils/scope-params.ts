import { WINDOW_DAYS } from '@dora/domain';
import { useSearchParams } from 'react-router';

/** The window, environment and team a page shows, kept in the URL so that reloads and links keep them. */
export function useScopeParams() {
  const [params, setParams] = useSearchParams();
  const rawWindow = Number(params.get('window'));
  const window = (WINDOW_DAYS as readonly number[]).includes(rawWindow) ? rawWindow : undefined;
  const environment = params.get('environment') || 'production';
  /** A team's slug, `unassigned`, or undefined for every deployment. */
  const team = params.get('team') || undefined;
  const set = (name: string, value: string | undefined) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value === undefined) next.delete(name);
      else next.set(name, value);
      return next;
    });
  return {
    window,
    environment,
    team,
    setWindow: (days: number) => set('window', String(days)),
    setEnvironment: (name: string) => set('environment', name === 'production' ? undefined : name),
    setTeam: (slug: string | undefined) => set('team', slug || undefined),
    /** The scope to carry along in links to other pages. */
    search: scopeSearch({ window, environment, team }),
  };
}

/** The query string that carries a scope to another page; '' for the defaults. */
export function scopeSearch(scope: { window?: number; environment: string; team?: string }): string {
  const params = new URLSearchParams();
  if (scope.window !== undefined) params.set('window', String(scope.window));
  if (scope.environment !== 'production') params.set('environment', scope.environment);
  if (scope.team) params.set('team', scope.team);
  return params.size > 0 ? `?${params}` : '';
}
