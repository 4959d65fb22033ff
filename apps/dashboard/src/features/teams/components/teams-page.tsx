import type { TeamMetrics } from '@dora/domain';
import { Link, useParams } from 'react-router';
import { ErrorMessage } from '../../../components/error-message';
import { useMe } from '../../auth/api/me';
import { useSummary } from '../../dora/api/summary';
import { BreakdownHead, METRIC_COLUMNS, MetricCells } from '../../dora/components/breakdown-table';
import { ScopeControls } from '../../dora/components/scope-controls';
import { scopeSearch, useScopeParams } from '../../dora/utils/scope-params';
import { useSortParam } from '../../dora/utils/sort-param';
import { teamMetricsCsvPath, useTeamMetrics } from '../api/team-metrics';
import { TeamsIntro } from './teams-intro';
import { TableScroll } from '../../../components/table-scroll';

const COLUMNS = [{ key: 'team', title: 'Team' }, ...METRIC_COLUMNS];

/** `/{slug}/_admin/dora/teams`: every metric per team, and of the deployments of no team, sortable by any of them. */
export function TeamsPage() {
  const { slug = '' } = useParams();
  const scope = useScopeParams();
  const [sort, sortBy] = useSortParam('team');
  const isAdmin = useMe().data?.orgs.find((o) => o.slug === slug)?.role === 'admin';
  const summary = useSummary({ slug, environment: scope.environment, window: scope.window });
  const query = { slug, environment: scope.environment, window: scope.window, sort };
  const teams = useTeamMetrics(query);
  const rows = teams.data?.items ?? [];
  const hasTeams = rows.some((row) => row.team !== null);
  return (
    <main className="page">
      <div className="page-title">
        <h1>Teams</h1>
        <ScopeControls
          slug={slug}
          windowDays={scope.window ?? summary.data?.window.days ?? 30}
          environment={scope.environment}
          onWindow={scope.setWindow}
          onEnvironment={scope.setEnvironment}
        />
      </div>
      {isAdmin && hasTeams && (
        <p>
          <Link to={`/${slug}/_admin/dora/settings/teams`}>Manage teams and rules</Link>
        </p>
      )}
      {teams.isPending && <p role="status">Loading…</p>}
      <ErrorMessage error={teams.error} prefix="Could not load the teams: " />
      {teams.isSuccess && !hasTeams && (
        <TeamsIntro slug={slug}>
          {isAdmin ? (
            <p>
              <Link to={`/${slug}/_admin/dora/settings/teams`}>Create the first team</Link>
            </p>
          ) : (
            <p>An admin of this organisation creates teams and their rules.</p>
          )}
        </TeamsIntro>
      )}
      {hasTeams && (
        <TableScroll label="Teams compared">
          <table>
            <BreakdownHead columns={COLUMNS} sort={sort} onSort={sortBy} />
            <tbody>
              {rows.map((row) => (
                <TeamRow key={row.team ?? ''} slug={slug} row={row} scope={{ window: scope.window, environment: scope.environment }} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {hasTeams && (
        <p>
          <a href={teamMetricsCsvPath(query)} download>
            Download the teams (CSV)
          </a>
        </p>
      )}
    </main>
  );
}

function TeamRow({ slug, row, scope }: { slug: string; row: TeamMetrics; scope: { window?: number; environment: string } }) {
  return (
    <tr>
      <th scope="row">
        {row.team === null ? (
          // No team page to show: the deployments themselves say which repos and services lack a rule.
          <Link to={`/${slug}/_admin/dora/deployments${scopeSearch({ environment: scope.environment, team: 'unassigned' })}`}>Unassigned</Link>
        ) : (
          <Link to={`/${slug}/_admin/dora/teams/${row.team}${scopeSearch(scope)}`}>{row.name ?? row.team}</Link>
        )}
      </th>
      <MetricCells metrics={row} />
    </tr>
  );
}
