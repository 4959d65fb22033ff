/**
 * DORA performance bands (DESIGN §4), decided on exact integers and seconds rather than floating ratios.
 * `band_set` "dora-2023": the 2023/2024 State of DevOps cluster profiles, with the product page's
 * deployment-frequency bands. Rework rate has no published band.
 */
export const BAND_SET = 'dora-2023';

export type Band = 'elite' | 'high' | 'medium' | 'low';

const DAY = 86_400;
const HOUR = 3_600;

/** Elite ≥ 1 a day, High ≥ 1 a week, Medium ≥ 1 a month (30 days), else Low — also with none at all. */
export function deploymentFrequencyBand(successes: number, days: number): Band {
  if (successes === 0) return 'low'; // also over no time at all (a month to date at its first instant)
  if (successes >= days) return 'elite';
  if (7 * successes >= days) return 'high';
  if (30 * successes >= days) return 'medium';
  return 'low';
}

/** On the median: Elite < 1 day, High < 1 week, Medium < 30 days, else Low; no sample, no band. */
export function leadTimeBand(p50Seconds: number | null): Band | null {
  if (p50Seconds === null) return null;
  if (p50Seconds < DAY) return 'elite';
  if (p50Seconds < 7 * DAY) return 'high';
  if (p50Seconds < 30 * DAY) return 'medium';
  return 'low';
}

/** Elite ≤ 5%, High ≤ 10%, Medium ≤ 15%, else Low; no deployments, no band. */
export function changeFailureRateBand(failed: number, total: number): Band | null {
  if (total === 0) return null;
  if (20 * failed <= total) return 'elite';
  if (10 * failed <= total) return 'high';
  if (100 * failed <= 15 * total) return 'medium';
  return 'low';
}

/** On the median: Elite < 1 hour, High < 1 day, Medium < 1 week, else Low; nothing restored, no band. */
export function timeToRestoreBand(medianSeconds: number | null): Band | null {
  if (medianSeconds === null) return null;
  if (medianSeconds < HOUR) return 'elite';
  if (medianSeconds < DAY) return 'high';
  if (medianSeconds < 7 * DAY) return 'medium';
  return 'low';
}
