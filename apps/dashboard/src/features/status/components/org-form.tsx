import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { lastOrg, normaliseSlug, rememberOrg, slugProblem } from '../../../lib/last-org';

/** Asks for the org's slug (the list of orgs is not public) and opens its dashboard, which asks to sign in first if needed. */
export function OrgForm() {
  const navigate = useNavigate();
  const [remembered] = useState(lastOrg);
  const [input, setInput] = useState(remembered ?? '');
  const [problem, setProblem] = useState<string | undefined>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const slug = normaliseSlug(input);
    const why = slugProblem(slug);
    setProblem(why);
    if (why) return;
    rememberOrg(slug);
    void navigate(`/${slug}/_admin/dora`);
  };

  return (
    <section aria-labelledby="your-org">
      <h2 id="your-org">Your organisation</h2>
      {remembered && (
        <p>
          <Link to={`/${remembered}/_admin/dora`}>Continue to {remembered}</Link>
        </p>
      )}
      <form onSubmit={submit} className="stack narrow" aria-label="Your organisation" noValidate>
        <label>
          Organisation (slug)
          <input
            value={input}
            onChange={(e) => {
              setInput(e.target.value.toLowerCase());
              setProblem(undefined);
            }}
            autoComplete="organization"
            autoCapitalize="none"
            spellCheck={false}
            placeholder="e.g. acme"
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'org-slug-problem' : 'org-slug-hint'}
          />
        </label>
        {problem ? (
          <p id="org-slug-problem" role="alert" className="error">
            {problem}
          </p>
        ) : (
          <p id="org-slug-hint" className="hint">
            The short name in your dashboard’s address, as in <code>/acme/_admin</code>. You sign in next if you have not yet.
          </p>
        )}
        <button type="submit">Go to sign-in</button>
      </form>
    </section>
  );
}
