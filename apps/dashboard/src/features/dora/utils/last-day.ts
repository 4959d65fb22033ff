const DAY_MS = 86_400_000;

/** The instant 24 hours before `now`, as the API's `from`. */
export function dayBefore(now: number): string {
  return new Date(now - DAY_MS).toISOString();
}

/** An instant as a `datetime-local` value in the browser's zone ("2026-11-25T10:05"), as the deployments page's From holds it. */
export function localDateTimeValue(iso: string): string {
  const date = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
}
