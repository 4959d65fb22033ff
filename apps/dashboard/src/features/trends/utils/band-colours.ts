import type { BandCounts } from '@dora/domain';

/** A point's background: the band badges' own colours (styles.css, light or dark), so that the legend reads both. */
export const BAND_BACKGROUNDS: Record<keyof BandCounts, string> = {
  elite: 'var(--band-elite-bg)',
  high: 'var(--band-high-bg)',
  medium: 'var(--band-medium-bg)',
  low: 'var(--band-low-bg)',
  no_data: 'var(--band-none-bg)',
};

/** A stack of the performers' bars: the badges' stronger border colours. */
export const BAND_FILLS: Record<keyof BandCounts, string> = {
  elite: 'var(--band-elite-line)',
  high: 'var(--band-high-line)',
  medium: 'var(--band-medium-line)',
  low: 'var(--band-low-line)',
  no_data: 'var(--band-none-line)',
};
