import { Link, useParams } from 'react-router';
import { ErrorMessage } from '../../../components/error-message';
import { useMe } from '../../auth/api/me';
import { useTeams } from '../api/teams';
import { CreateTeamForm } from './create-team-form';
import { RulesSection } from './rules-editor';
import { TeamList } from './team-list';
import { TeamsIntro } from './teams-intro';

/** `/{slug}/_admin/dora/settings/teams`: admins create, rename and delete teams, and edit the ordered rules that give them deployments. */
export function TeamSettingsPage() {
  const { slug = '' } = useParams();
  const isAdmin = useMe().data?.orgs.find((o) => o.slug === slug)?.role === 'admin';
  const teams = useTeams(slug);
  return (
    <main className="page">
      <p>
        <Link to={`/${slug}/_admin/dora/teams`}>← Teams</Link>
      </p>
      <h1>Teams and rules</h1>
      {!isAdmin ? (
        <p>Only an admin of this organisation can change its teams and their rules.</p>
      ) : (
        <>
          {teams.isPending && <p role="status">Loading…</p>}
          <ErrorMessage error={teams.error} prefix="Could not load the teams: " />
          {teams.isSuccess && teams.data.items.length === 0 && (
            <TeamsIntro slug={slug}>
              <p>Create the first team below; then add the rules that give it deployments.</p>
            </TeamsIntro>
          )}
          <section aria-labelledby="teams-heading">
            <h2 id="teams-heading">Teams</h2>
            {teams.isSuccess && teams.data.items.length > 0 && <TeamList slug={slug} teams={teams.data.items} />}
            <h3>New team</h3>
            <CreateTeamForm slug={slug} />
          </section>
          {teams.isSuccess && teams.data.items.length > 0 && <RulesSection slug={slug} teams={teams.data.items} />}
        </>
      )}
    </main>
  );
}
