import { type FormEvent, useState } from 'react';
import { formatDateTime } from '../../../lib/format';
import { useForgejoOwners, useMapForgejoOwner, useRemoveForgejoOwner } from '../api/forgejo-owners';
import { ErrorMessage } from '../../../components/error-message';

/** The Forgejo users and orgs whose releases become this org's deployments. */
export function ForgejoOwners({ slug }: { slug: string }) {
  const owners = useForgejoOwners(slug);
  const remove = useRemoveForgejoOwner(slug);
  return (
    <section aria-labelledby="forgejo-owners">
      <h2 id="forgejo-owners">Forgejo owners</h2>
      <p>
        Releases of repositories owned by these Forgejo users or orgs become deployments of this org. A release of an owner mapped to no org is kept as
        “skipped” and processed automatically once its owner is mapped.
      </p>
      {owners.isPending && <p role="status">Loading…</p>}
      <ErrorMessage error={owners.error} />
      <ErrorMessage error={remove.error} />
      {owners.isSuccess && owners.data.items.length === 0 && <p>No owner mapped yet: Forgejo releases do not reach this org.</p>}
      {owners.isSuccess && owners.data.items.length > 0 && (
        <ul aria-label="Mapped Forgejo owners" className="owners">
          {owners.data.items.map((item) => (
            <li key={item.owner}>
              <code>{item.owner}</code> <span className="hint">since {formatDateTime(item.created_at)}</span>{' '}
              <button
                type="button"
                aria-label={`Remove ${item.owner}`}
                onClick={() => window.confirm(`Stop taking releases of ${item.owner} into this org?`) && remove.mutate(item.owner)}
                disabled={remove.isPending}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <MapOwner slug={slug} />
    </section>
  );
}

function MapOwner({ slug }: { slug: string }) {
  const map = useMapForgejoOwner(slug);
  const [owner, setOwner] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    map.mutate({ owner: owner.trim() }, { onSuccess: () => setOwner('') });
  };
  return (
    <form onSubmit={submit} className="stack narrow" aria-label="Map a Forgejo owner">
      <label>
        Forgejo owner (user or org login)
        <input value={owner} onChange={(e) => setOwner(e.target.value)} required maxLength={100} autoCapitalize="none" spellCheck={false} placeholder="e.g. acme" />
      </label>
      <ErrorMessage error={map.error} />
      <button type="submit" disabled={map.isPending}>
        {map.isPending ? 'Mapping…' : 'Map owner'}
      </button>
    </form>
  );
}
