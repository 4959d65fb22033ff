import { teamSlugProblem } from '@dora/domain';
import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { useCreateTeam } from '../api/teams';
import { slugFromName } from '../utils/team-slug';

/** A new team: its name, and a slug (for URLs, rules and ingest) offered from the name until it is typed. */
export function CreateTeamForm({ slug }: { slug: string }) {
  const create = useCreateTeam(slug);
  const [name, setName] = useState('');
  const [typedSlug, setTypedSlug] = useState<string | null>(null);
  const teamSlug = typedSlug ?? slugFromName(name);
  const problem = teamSlug === '' ? null : teamSlugProblem(teamSlug);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { slug: teamSlug, name: name.trim() },
      {
        onSuccess: () => {
          setName('');
          setTypedSlug(null);
        },
      },
    );
  };
  return (
    <form onSubmit={submit} className="stack narrow" aria-label="Create a team">
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder="e.g. Payments" />
      </label>
      <label>
        Slug
        <input
          value={teamSlug}
          onChange={(e) => setTypedSlug(e.target.value)}
          required
          maxLength={63}
          autoCapitalize="none"
          spellCheck={false}
          placeholder="e.g. payments"
          aria-describedby="team-slug-hint"
        />
      </label>
      <p id="team-slug-hint" className="hint">
        The slug names the team in URLs, in the rules and in ingest (<code>"team"</code>).
      </p>
      {problem && <p className="error">The slug {problem}.</p>}
      <ErrorMessage error={create.error} />
      <button type="submit" disabled={create.isPending || problem !== null}>
        {create.isPending ? 'Creating…' : 'Create team'}
      </button>
    </form>
  );
}
