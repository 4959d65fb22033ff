import { type ApiTokenItem, type MintedToken, SCOPES } from '@dora/domain';
import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { formatDateTime } from '../../../lib/format';
import { useMintToken, useRevokeToken, useTokens } from '../api/tokens';
import { IdentityProviders } from './identity-providers';
import { ErrorMessage } from '../../../components/error-message';

/** `/{slug}/_admin/tokens`: the org's API tokens; mint one (its secret is shown once) or revoke one. */
export function TokensPage() {
  const { slug = '' } = useParams();
  const tokens = useTokens(slug);
  const [minted, setMinted] = useState<MintedToken | undefined>();
  return (
    <main className="page">
      <h1>API tokens</h1>
      <MintForm slug={slug} onMinted={setMinted} />
      {minted && <SecretOnce minted={minted} onDone={() => setMinted(undefined)} />}
      <h2>Tokens</h2>
      {tokens.isPending && <p role="status">Loading…</p>}
      <ErrorMessage error={tokens.error} />
      {tokens.isSuccess && tokens.data.items.length === 0 && <p>No tokens yet.</p>}
      {tokens.isSuccess && tokens.data.items.length > 0 && <TokenTable slug={slug} tokens={tokens.data.items} />}
      <IdentityProviders slug={slug} />
    </main>
  );
}

function MintForm({ slug, onMinted }: { slug: string; onMinted: (minted: MintedToken) => void }) {
  const mint = useMintToken(slug);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['findings:write']);
  const [days, setDays] = useState('90');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mint.mutate(
      { name, scopes, expires_in_days: days === 'never' ? null : Number(days) },
      {
        onSuccess: (result) => {
          onMinted(result);
          setName('');
        },
      },
    );
  };
  return (
    <form onSubmit={submit} className="stack" aria-label="Mint a token">
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="e.g. ci-production" />
      </label>
      <fieldset>
        <legend>Scopes</legend>
        {SCOPES.map((scope) => (
          <label key={scope} className="inline">
            <input
              type="checkbox"
              checked={scopes.includes(scope)}
              onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
            />{' '}
            {scope}
          </label>
        ))}
      </fieldset>
      <label>
        Expires in
        <select value={days} onChange={(e) => setDays(e.target.value)}>
          <option value="30">30 days</option>
          <option value="90">90 days</option>
          <option value="365">1 year</option>
          <option value="never">never</option>
        </select>
      </label>
      <ErrorMessage error={mint.error} />
      <button type="submit" disabled={mint.isPending || scopes.length === 0}>
        Mint token
      </button>
    </form>
  );
}

function SecretOnce({ minted, onDone }: { minted: MintedToken; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const curl = `curl -X POST ${window.location.origin}/api/v1/dora/deployments \\
  -H "Authorization: Bearer ${minted.secret}" -H "Content-Type: application/json" \\
  -d '{"repo_full_name":"owner/repo","environment":"production","deployed_at":"${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}"}'`;
  const copy = async () => {
    await navigator.clipboard.writeText(minted.secret);
    setCopied(true);
  };
  return (
    <section className="secret" aria-label="New token">
      <h2>Token “{minted.token.name}”</h2>
      <p>Copy it now: it is shown this once, and only its hash is kept.</p>
      <p>
        <code data-testid="token-secret">{minted.secret}</code>{' '}
        <button type="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </p>
      {minted.token.scopes.includes('findings:write') && <pre>{curl}</pre>}
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}

function TokenTable({ slug, tokens }: { slug: string; tokens: ApiTokenItem[] }) {
  const revoke = useRevokeToken(slug);
  return (
    <div className="table-scroll">
      <ErrorMessage error={revoke.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Token</th>
            <th scope="col">Scopes</th>
            <th scope="col">Origin</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id}>
              <th scope="row">{token.name}</th>
              <td>
                <code>{token.prefix}…</code>
              </td>
              <td>{token.scopes.join(', ')}</td>
              <td>{token.origin === 'exchanged' ? `exchanged from ${token.issuer}` : token.created_by ? `minted by ${token.created_by.email ?? 'a former member'}` : 'minted by the operator or a token'}</td>
              <td>{formatDateTime(token.last_used_at)}</td>
              <td>
                {token.expires_at ? formatDateTime(token.expires_at) : 'never'}
                {token.exceeds_policy && <span className="badge badge-low">beyond the lifetime policy</span>}
              </td>
              <td>
                {token.revoked_at ? (
                  `revoked ${formatDateTime(token.revoked_at)}`
                ) : (
                  <button
                    type="button"
                    onClick={() => window.confirm(`Revoke the token “${token.name}”? Whatever uses it stops working.`) && revoke.mutate(token.id)}
                    disabled={revoke.isPending}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
