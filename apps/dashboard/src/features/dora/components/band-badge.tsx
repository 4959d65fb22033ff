import type { Band } from '@dora/domain';

const LABELS: Record<Band, string> = { elite: 'Elite', high: 'High', medium: 'Medium', low: 'Low' };

/** The DORA band as a coloured badge that also says it in words (colour is never the only signal). */
export function BandBadge({ band }: { band: Band | null }) {
  if (band === null) return <span className="badge badge-none">Not enough data</span>;
  return <span className={`badge badge-${band}`}>{LABELS[band]}</span>;
}

export function NoBandBadge() {
  return <span className="badge badge-none">No DORA band</span>;
}
