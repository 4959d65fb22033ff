import type { MintedToken, RotatedToken } from '@dora/domain';
import { useEffect, useRef } from 'react';
import { CopyButton } from '../../../components/copy-button';
import { formatDateTime } from '../../../lib/format';

/** A new token's secret, shown this once (after minting or rotating), with a curl command that uses it. */
export function SecretOnce({ minted, onDone }: { minted: MintedToken | RotatedToken; onDone: () => void }) {
  const section = useRef<HTMLElement>(null);
  // The secret may appear away from the button that asked for it: take the reader to it.
  useEffect(() => section.current?.focus(), []);
  const curl = `curl -X POST ${window.location.origin}/api/v1/dora/deployments \\
  -H "Authorization: Bearer ${minted.secret}" -H "Content-Type: application/json" \\
  -d '{"repo_full_name":"owner/repo","environment":"production","deployed_at":"${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}"}'`;
  return (
    <section className="secret" aria-label="New token" tabIndex={-1} ref={section}>
      <h2>Token “{minted.token.name}”</h2>
      <p>Copy it now: it is shown this once, and only its hash is kept.</p>
      <p>
        <code data-testid="token-secret">{minted.secret}</code> <CopyButton text={minted.secret} label="Copy" />
      </p>
      {'previous' in minted && (
        <p>
          The old secret <code>{minted.previous.prefix}…</code>{' '}
          {minted.previous.stops_at ? `works until ${formatDateTime(minted.previous.stops_at)}` : 'keeps working'}: replace it wherever it is used before then.
        </p>
      )}
      {minted.token.scopes.includes('findings:write') && <pre>{curl}</pre>}
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
