import type { MintedBadgeKey } from '@dora/domain';
import { useEffect, useRef } from 'react';
import { CopyButton } from '../../../components/copy-button';

/** A new badge key, shown this once (as the tokens page shows a new token's secret). */
export function BadgeKeyOnce({ minted, onDone }: { minted: MintedBadgeKey; onDone: () => void }) {
  const section = useRef<HTMLElement>(null);
  // The key may appear away from the button that asked for it: take the reader to it.
  useEffect(() => section.current?.focus(), []);
  return (
    <section className="secret" aria-label="New badge key" tabIndex={-1} ref={section}>
      <h2>Badge key “{minted.badge_key.name}”</h2>
      <p>Copy it now: it is shown this once, and only its hash is kept. The badge builder below puts it in the Markdown until you press Done.</p>
      <p>
        <code data-testid="badge-key">{minted.key}</code> <CopyButton text={minted.key} label="Copy key" />
      </p>
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
