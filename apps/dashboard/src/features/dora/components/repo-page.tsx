import { Link, useParams } from 'react-router';
import { useScopeParams } from '../utils/scope-params';
import { DeploymentList } from './deployment-list';
import { MetricCards } from './metric-cards';
import { ScopeControls } from './scope-controls';

/** `/{slug}/_admin/dora/repos/{owner}/{name}`: one repository's cards, sparklines and deployments (of one team, when chosen). */
export function RepoPage() {
  const { slug = '', '*': repo = '' } = useParams();
  const scope = useScopeParams();
  return (
    <main className="page">
      <p>
        <Link to={`/${slug}/_admin/dora/repos${scope.search}`}>← All repositories</Link>
      </p>
      <div className="page-title">
        <h1>{repo}</h1>
        <ScopeControls
          slug={slug}
          windowDays={scope.window ?? 30}
          environment={scope.environment}
          onWindow={scope.setWindow}
          onEnvironment={scope.setEnvironment}
          team={scope.team}
          onTeam={scope.setTeam}
        />
      </div>
      <MetricCards slug={slug} environment={scope.environment} window={scope.window} repo={repo} team={scope.team} />
      <h2>Deployments</h2>
      <DeploymentList slug={slug} filter={{ environment: scope.environment, repo, team: scope.team }} />
    </main>
  );
}
