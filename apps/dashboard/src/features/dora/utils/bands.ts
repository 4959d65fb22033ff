import type { Band } from '@dora/domain';

/** A band in words, as the badges and sentences say it. */
export const BAND_LABELS: Record<Band, string> = { elite: 'Elite', high: 'High', medium: 'Medium', low: 'Low' };

/** Best first. */
export const BANDS_BEST_FIRST: readonly Band[] = ['elite', 'high', 'medium', 'low'];
