import { type Team, teamSlugProblem } from '@dora/domain';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { ErrorMessage } from '../../../components/error-message';
import { useDeleteTeam, useUpdateTeam } from '../api/teams';
import { TableScroll } from '../../../components/table-scroll';

/** The org's teams, each renamed in place or deleted. */
export function TeamList({ slug, teams }: { slug: string; teams: Team[] }) {
  const remove = useDeleteTeam(slug);
  const [renaming, setRenaming] = useState<string | undefined>();
  const confirmDelete = (team: Team) =>
    window.confirm(`Delete the team “${team.name}”? Its ${team.rules} ${team.rules === 1 ? 'rule goes' : 'rules go'} with it, and its deployments fall to the remaining rules.`) &&
    remove.mutate(team.slug);
  return (
    <TableScroll label="Teams">
      <ErrorMessage error={remove.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Slug</th>
            <th scope="col">Rules</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {teams.map((team) =>
            renaming === team.slug ? (
              <tr key={team.slug}>
                <td colSpan={4}>
                  <RenameTeamForm slug={slug} team={team} onDone={() => setRenaming(undefined)} />
                </td>
              </tr>
            ) : (
              <tr key={team.slug}>
                <th scope="row">
                  <Link to={`/${slug}/_admin/dora/teams/${team.slug}`}>{team.name}</Link>
                </th>
                <td>
                  <code>{team.slug}</code>
                </td>
                <td>{team.rules}</td>
                <td>
                  <button type="button" onClick={() => setRenaming(team.slug)} aria-label={`Rename ${team.name}`}>
                    Rename
                  </button>{' '}
                  <button type="button" onClick={() => confirmDelete(team)} disabled={remove.isPending} aria-label={`Delete ${team.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** A new name or slug; a new slug keeps the team's rules and deployments, but links and ingest must use it from then on. */
function RenameTeamForm({ slug, team, onDone }: { slug: string; team: Team; onDone: () => void }) {
  const update = useUpdateTeam(slug);
  const [name, setName] = useState(team.name);
  const [newSlug, setNewSlug] = useState(team.slug);
  const problem = teamSlugProblem(newSlug);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const change = { ...(name.trim() !== team.name ? { name: name.trim() } : {}), ...(newSlug !== team.slug ? { slug: newSlug } : {}) };
    if (Object.keys(change).length === 0) onDone();
    else update.mutate({ team: team.slug, ...change }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} className="filters" aria-label={`Rename ${team.name}`}>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
      </label>
      <label>
        Slug
        <input value={newSlug} onChange={(e) => setNewSlug(e.target.value)} required maxLength={63} autoCapitalize="none" spellCheck={false} />
      </label>
      {problem && <p className="error">The slug {problem}.</p>}
      {newSlug !== team.slug && !problem && <p className="hint">Ingest that sends “{team.slug}” must send “{newSlug}” from then on.</p>}
      <ErrorMessage error={update.error} />
      <button type="submit" disabled={update.isPending || problem !== null}>
        {update.isPending ? 'Saving…' : 'Save'}
      </button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}
