import type { BandCounts } from '@dora/domain';

/** A point's background: the band badges' own colours (styles.css), so that the legend reads both. */
export const BAND_BACKGROUNDS: Record<keyof BandCounts, string> = {
  elite: '#dafbe1',
  high: '#ddf4ff',
  medium: '#fff8c5',
  low: '#ffebe9',
  no_data: '#f6f8fa',
};

/** A stack of the performers' bars: the badges' stronger border colours. */
export const BAND_FILLS: Record<keyof BandCounts, string> = {
  elite: '#4ac26b',
  high: '#54aeff',
  medium: '#d4a72c',
  low: '#ff8182',
  no_data: '#d0d7de',
};
