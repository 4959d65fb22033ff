import { type ApiTokenItem, type MintedToken, SCOPES } from '@dora/domain';
import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { formatDateTime } from '../../../lib/format';
import { useMintToken, useRevokeToken, useTokens } from '../api/tokens';
import { IdentityProviders } from './identity-providers';
import { RotateToken } from './rotate-token';
import { SecretOnce } from './secret-once';
import { ErrorMessage } from '../../../components/error-message';
import { TableScroll } from '../../../components/table-scroll';
import { RelativeTime } from '../../../components/relative-time';

/** `/{slug}/_admin/tokens`: the org's API tokens; mint one (its secret is shown once), rotate or revoke one. */
export function TokensPage() {
  const { slug = '' } = useParams();
  const tokens = useTokens(slug);
  const [minted, setMinted] = useState<MintedToken | undefined>();
  const [rotating, setRotating] = useState<ApiTokenItem | undefined>();
  return (
    <main className="page">
      <h1>API tokens</h1>
      <MintForm slug={slug} onMinted={setMinted} />
      {minted && <SecretOnce minted={minted} onDone={() => setMinted(undefined)} />}
      <h2>Tokens</h2>
      {tokens.isPending && <p role="status">Loading…</p>}
      <ErrorMessage error={tokens.error} />
      {tokens.isSuccess && tokens.data.items.length === 0 && <p>No tokens yet.</p>}
      {rotating && <RotateToken key={rotating.id} slug={slug} token={rotating} onClose={() => setRotating(undefined)} />}
      {tokens.isSuccess && tokens.data.items.length > 0 && <TokenTable slug={slug} tokens={tokens.data.items} onRotate={rotating ? undefined : setRotating} />}
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

/** Whether a token still works at `now`, and what it can still be asked to do. */
export function tokenState(token: ApiTokenItem, now: number): 'revoked' | 'expired' | 'rotated' | 'live' {
  if (token.revoked_at) return 'revoked';
  if (token.stops_at && Date.parse(token.stops_at) <= now) return 'expired';
  return token.replaced_by ? 'rotated' : 'live';
}

/** `onRotate` is absent while a rotation is under way: its new secret must not be lost to another. */
function TokenTable({ slug, tokens, onRotate }: { slug: string; tokens: ApiTokenItem[]; onRotate: ((token: ApiTokenItem) => void) | undefined }) {
  const revoke = useRevokeToken(slug);
  const now = Date.now();
  const confirmRevoke = (token: ApiTokenItem) => window.confirm(`Revoke the token “${token.name}”? Whatever uses it stops working.`) && revoke.mutate(token.id);
  return (
    <TableScroll label="API tokens">
      <ErrorMessage error={revoke.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Token</th>
            <th scope="col">Scopes</th>
            <th scope="col">Origin</th>
            <th scope="col">Last used</th>
            <th scope="col">Stops working</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => {
            const state = tokenState(token, now);
            return (
              <tr key={token.id}>
                <th scope="row">{token.name}</th>
                <td>
                  <code>{token.prefix}…</code>
                </td>
                <td>{token.scopes.join(', ')}</td>
                <td>{token.origin === 'exchanged' ? `exchanged from ${token.issuer}` : token.created_by ? `minted by ${token.created_by.email ?? 'a former member'}` : 'minted by the operator or a token'}</td>
                <td>
                  <RelativeTime iso={token.last_used_at} />
                </td>
                <td>
                  {token.stops_at ? formatDateTime(token.stops_at) : 'never'}
                  {token.expires_soon && state === 'live' && (
                    <>
                      {' '}
                      <span className="badge badge-medium">expires soon — rotate it</span>
                    </>
                  )}
                  {token.exceeds_policy && (
                    <span className="hint token-note">
                      cut short by the org’s lifetime policy ({token.expires_at ? `its own expiry: ${formatDateTime(token.expires_at)}` : 'it has no expiry of its own'})
                    </span>
                  )}
                </td>
                <td>
                  <TokenActions token={token} state={state} onRotate={onRotate && (() => onRotate(token))} onRevoke={() => confirmRevoke(token)} busy={revoke.isPending} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

function TokenActions({ token, state, onRotate, onRevoke, busy }: { token: ApiTokenItem; state: ReturnType<typeof tokenState>; onRotate: (() => void) | undefined; onRevoke: () => void; busy: boolean }) {
  const revokeButton = (
    <button type="button" onClick={onRevoke} disabled={busy}>
      Revoke
    </button>
  );
  switch (state) {
    case 'revoked':
      return <>revoked {formatDateTime(token.revoked_at)}</>;
    case 'expired':
      return <>{token.replaced_by ? 'rotated; ' : ''}expired</>;
    case 'rotated':
      return (
        <>
          rotated; works until {formatDateTime(token.stops_at)} {revokeButton}
        </>
      );
    case 'live':
      return (
        <>
          {token.origin === 'minted' && (
            <>
              <button type="button" onClick={onRotate} disabled={!onRotate}>
                Rotate
              </button>{' '}
            </>
          )}
          {revokeButton}
        </>
      );
  }
}
