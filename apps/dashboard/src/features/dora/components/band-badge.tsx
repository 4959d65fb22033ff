import type { Band } from '@dora/domain';
import { BAND_LABELS } from '../utils/bands';

/** The DORA band as a coloured badge that also says it in words (colour is never the only signal). */
export function BandBadge({ band }: { band: Band | null }) {
  if (band === null) return <span className="badge badge-none">Not enough data</span>;
  return <span className={`badge badge-${band}`}>{BAND_LABELS[band]}</span>;
}

export function NoBandBadge() {
  return <span className="badge badge-none">No DORA band</span>;
}
