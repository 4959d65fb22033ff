/** Human units for the API's seconds and fractions. */

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (Math.round(seconds) < MINUTE) return `${Math.round(seconds)} s`;
  if (Math.round(seconds / MINUTE) < 60) return `${Math.round(seconds / MINUTE)} min`;
  if (Math.round((seconds / HOUR) * 10) / 10 < 24) return `${oneDecimal(seconds / HOUR)} h`;
  const days = oneDecimal(seconds / DAY);
  return `${days} ${days === '1' ? 'day' : 'days'}`;
}

export function formatRate(fraction: number | null): string {
  return fraction === null ? '—' : `${oneDecimal(fraction * 100)}%`;
}

/**
 * Deploys a day, said in the unit that reads best: a day, a week or a month (30 days). Numbers shown side by
 * side (an axis, a comparison) all take the unit of the largest, `scale`.
 */
export function formatFrequency(perDay: number, scale = perDay): string {
  if (perDay === 0) return 'none';
  if (scale >= 1) return `${oneDecimal(perDay)}/day`;
  if (scale * 7 >= 1) return `${oneDecimal(perDay * 7)}/week`;
  return `${oneDecimal(perDay * 30)}/month`;
}

export function formatDateTime(iso: string | null, timeZone?: string): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' });
}

/** How long ago (or how far ahead), in the largest whole unit: "just now", "5 min ago", "3 h ago", "in 2 days". */
export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const size = Math.abs(seconds);
  if (size < 45) return 'just now';
  const [amount, unit] =
    size < HOUR ? [Math.round(size / MINUTE), 'min'] : size < DAY ? [Math.floor(size / HOUR), 'h'] : [Math.floor(size / DAY), Math.floor(size / DAY) === 1 ? 'day' : 'days'];
  return seconds < 0 ? `${amount} ${unit} ago` : `in ${amount} ${unit}`;
}

export function shortSha(sha: string | null): string {
  return sha ? sha.slice(0, 8) : '—';
}

function oneDecimal(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}
