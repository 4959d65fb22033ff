import { useParams } from 'react-router';
import { useSearchParam } from '../../../lib/use-search-param';
import { useEnvironments } from '../api/deployments';
import { DeploymentList } from './deployment-list';
import { TeamSelect } from './scope-controls';
import { TimeRangeFilter, timeRangeOf } from '../../../components/time-range-filter';

const toBoolean = (value: string | null) => (value === 'true' ? true : value === 'false' ? false : undefined);

/** `/{slug}/_admin/dora/deployments`: every deployment, filtered by repository, environment, team, result, rework and time. */
export function DeploymentsPage() {
  const { slug = '' } = useParams();
  const [params, set] = useSearchParam();
  const environments = useEnvironments(slug);
  const environment = params.get('environment') || 'production';
  const filter = {
    environment,
    repo: params.get('repo') || undefined,
    team: params.get('team') || undefined,
    success: toBoolean(params.get('success')),
    is_rework: toBoolean(params.get('is_rework')),
    ...timeRangeOf(params),
  };
  return (
    <main className="page">
      <h1>Deployments</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label>
          Repository
          <input type="text" placeholder="owner/name" defaultValue={params.get('repo') ?? ''} onBlur={(e) => set('repo', e.target.value.trim())} onKeyDown={(e) => e.key === 'Enter' && set('repo', e.currentTarget.value.trim())} />
        </label>
        <label>
          Environment
          <select value={environment} onChange={(e) => set('environment', e.target.value)}>
            {[...new Set([environment, 'production', ...(environments.data?.items.map((e) => e.environment) ?? [])])].map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <TeamSelect slug={slug} team={filter.team} onTeam={(team) => set('team', team)} />
        <label>
          Result
          <select value={params.get('success') ?? ''} onChange={(e) => set('success', e.target.value)}>
            <option value="">all</option>
            <option value="true">success</option>
            <option value="false">failed</option>
          </select>
        </label>
        <label>
          Rework
          <select value={params.get('is_rework') ?? ''} onChange={(e) => set('is_rework', e.target.value)}>
            <option value="">all</option>
            <option value="true">rework only</option>
            <option value="false">no rework</option>
          </select>
        </label>
        <TimeRangeFilter params={params} set={set} />
      </form>
      <DeploymentList slug={slug} filter={filter} />
    </main>
  );
}
