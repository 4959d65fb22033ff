import { type FormEvent, useState } from 'react';
import { useAddIdentityProvider, useIdentityProviders, useRemoveIdentityProvider } from '../api/identity-providers';
import { ErrorMessage } from '../../../components/error-message';
import { TableScroll } from '../../../components/table-scroll';

/** `name=value` lines (a value may be a glob) → the required claims of an issuer. */
export function parseClaims(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const at = line.indexOf('=');
        return at > 0 ? [line.slice(0, at).trim(), line.slice(at + 1).trim()] : [line, ''];
      }),
  );
}

/** The issuers whose CI tokens (OIDC JWTs) this org exchanges for short-lived ingest tokens. */
export function IdentityProviders({ slug }: { slug: string }) {
  const providers = useIdentityProviders(slug);
  const remove = useRemoveIdentityProvider(slug);
  return (
    <section aria-label="Trusted identity providers">
      <h2>CI without stored secrets</h2>
      <p>
        A CI job that holds an OIDC token from a trusted issuer trades it for a token that lives minutes: <code>POST /api/v1/auth/token-exchange</code>.
      </p>
      <ErrorMessage error={providers.error} />
      {providers.isSuccess && providers.data.items.length > 0 && (
        <TableScroll label="Identity providers">
          <table>
            <thead>
              <tr>
                <th scope="col">Issuer</th>
                <th scope="col">Audience</th>
                <th scope="col">Required claims</th>
                <th scope="col">Grants</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {providers.data.items.map((provider) => (
                <tr key={provider.id}>
                  <th scope="row">{provider.issuer}</th>
                  <td>{provider.audience}</td>
                  <td>
                    {Object.entries(provider.required_claims)
                      .map(([name, value]) => `${name} = ${value}`)
                      .join(', ') || '—'}
                    {provider.allow_any_subject && (
                      <p className="warning">
                        <strong>Warning:</strong> Any subject of this issuer can report deployments into this org — add required claims.
                      </p>
                    )}
                  </td>
                  <td>
                    {provider.allowed_scopes.join(', ')} for {Math.round(provider.max_ttl_seconds / 60)} min
                  </td>
                  <td>
                    <button type="button" onClick={() => window.confirm(`Stop trusting ${provider.issuer}?`) && remove.mutate(provider.id)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <AddProvider slug={slug} />
    </section>
  );
}

function AddProvider({ slug }: { slug: string }) {
  const add = useAddIdentityProvider(slug);
  const [issuer, setIssuer] = useState('');
  const [jwksUri, setJwksUri] = useState('');
  const [audience, setAudience] = useState('');
  const [claims, setClaims] = useState(`repository_owner=${slug}`);
  const [minutes, setMinutes] = useState('15');
  const [anySubject, setAnySubject] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({
      issuer,
      jwks_uri: jwksUri,
      audience,
      required_claims: parseClaims(claims),
      max_ttl_seconds: Number(minutes) * 60,
      ...(anySubject ? { allow_any_subject: true } : {}),
    });
  };
  return (
    <form onSubmit={submit} className="stack" aria-label="Trust an issuer">
      <label>
        Issuer (the tokens’ iss)
        <input value={issuer} onChange={(e) => setIssuer(e.target.value)} required placeholder="https://forge.example.com/api/actions" />
      </label>
      <label>
        JWKS URL
        <input value={jwksUri} onChange={(e) => setJwksUri(e.target.value)} required placeholder="https://forge.example.com/api/actions/.well-known/keys" />
      </label>
      <label>
        Audience (the tokens’ aud)
        <input value={audience} onChange={(e) => setAudience(e.target.value)} required placeholder={slug} />
      </label>
      <label>
        Required claims, one name=value per line (values may use * and ?)
        <textarea value={claims} onChange={(e) => setClaims(e.target.value)} rows={3} />
      </label>
      <div>
        <label className="inline">
          <input type="checkbox" checked={anySubject} onChange={(e) => setAnySubject(e.target.checked)} aria-describedby="any-subject-hint" /> Allow any subject of this
          issuer (no required claims)
        </label>
        <p id="any-subject-hint" className="hint">
          Without required claims every workload of the issuer could report deployments into this org — for GitHub’s issuer, every GitHub repository in the
          world. The API refuses a provider with no required claims unless this is ticked.
        </p>
      </div>
      <label>
        Token lifetime (minutes, at most 60)
        <input type="number" min={1} max={60} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
      </label>
      <ErrorMessage error={add.error} />
      <button type="submit" disabled={add.isPending}>
        Trust this issuer
      </button>
    </form>
  );
}
