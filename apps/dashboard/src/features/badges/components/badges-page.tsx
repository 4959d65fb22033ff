import type { BadgeKeyItem, MintedBadgeKey } from '@dora/domain';
import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { ErrorMessage } from '../../../components/error-message';
import { formatDateTime } from '../../../lib/format';
import { useMe } from '../../auth/api/me';
import { useBadgeKeys, useMintBadgeKey, useRevokeBadgeKey } from '../api/badge-keys';
import { BadgeBuilder } from './badge-builder';
import { BadgeKeyOnce } from './badge-key-once';
import { TableScroll } from '../../../components/table-scroll';

/** `/{slug}/_admin/badges`: the org's badge keys for README badges (admins mint and revoke them), and the Markdown of a badge. */
export function BadgesPage() {
  const { slug = '' } = useParams();
  const me = useMe();
  const isAdmin = me.data?.orgs.find((o) => o.slug === slug)?.role === 'admin';
  const keys = useBadgeKeys(slug, isAdmin);
  const [minted, setMinted] = useState<MintedBadgeKey | undefined>();
  return (
    <main className="page">
      <h1>Badges</h1>
      <p>
        A badge shows one metric of this org — its value and band — as an image in a README. Its URL holds a badge key: the key shows this org’s badges and
        nothing else, so anyone who can read the README can read those numbers.
      </p>
      {me.isPending && <p role="status">Loading…</p>}
      {me.isSuccess && !isAdmin && (
        <p>Only an admin of this organisation can mint and revoke badge keys. Ask one for a key, or for the Markdown of the badge you want.</p>
      )}
      {isAdmin && (
        <>
          <MintForm slug={slug} onMinted={setMinted} />
          {minted && <BadgeKeyOnce key={minted.badge_key.id} minted={minted} onDone={() => setMinted(undefined)} />}
          <BadgeBuilder slug={slug} badgeKey={minted?.key} />
          <h2>Badge keys</h2>
          {keys.isPending && <p role="status">Loading…</p>}
          <ErrorMessage error={keys.error} />
          {keys.isSuccess && keys.data.items.length === 0 && <p>No badge keys yet.</p>}
          {keys.isSuccess && keys.data.items.length > 0 && <KeyTable slug={slug} keys={keys.data.items} />}
        </>
      )}
    </main>
  );
}

function MintForm({ slug, onMinted }: { slug: string; onMinted: (minted: MintedBadgeKey) => void }) {
  const mint = useMintBadgeKey(slug);
  const [name, setName] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mint.mutate(
      { name: name.trim() },
      {
        onSuccess: (result) => {
          onMinted(result);
          setName('');
        },
      },
    );
  };
  return (
    <form onSubmit={submit} className="stack" aria-label="Mint a badge key">
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="e.g. README of acme/web" aria-describedby="badge-key-name-hint" />
      </label>
      <p id="badge-key-name-hint" className="hint">
        What the key is for, such as the README that shows its badges: revoking the key stops every badge that uses it.
      </p>
      <ErrorMessage error={mint.error} />
      <p>
        <button type="submit" disabled={mint.isPending}>
          {mint.isPending ? 'Minting…' : 'Mint badge key'}
        </button>
      </p>
    </form>
  );
}

function KeyTable({ slug, keys }: { slug: string; keys: BadgeKeyItem[] }) {
  const revoke = useRevokeBadgeKey(slug);
  const confirmRevoke = (key: BadgeKeyItem) =>
    window.confirm(`Revoke the badge key “${key.name}”? Every badge that uses it stops showing at once.`) && revoke.mutate(key.id);
  return (
    <TableScroll label="Badge keys">
      <ErrorMessage error={revoke.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Created</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id}>
              <th scope="row" className="wrap">
                {key.name}
              </th>
              <td>
                <code>{key.prefix}…</code>
              </td>
              <td>{formatDateTime(key.created_at)}</td>
              <td>
                {key.revoked_at ? (
                  <>revoked {formatDateTime(key.revoked_at)}</>
                ) : (
                  <button type="button" onClick={() => confirmRevoke(key)} disabled={revoke.isPending} aria-label={`Revoke ${key.name}`}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
