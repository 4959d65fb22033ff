import { formatDateTime, formatRelative } from '../lib/format';

/** A time said as how long ago it was, the exact time on hover (and for machines, in `dateTime`). */
export function RelativeTime({ iso, timeZone }: { iso: string | null; timeZone?: string }) {
  if (!iso) return <>—</>;
  const absolute = formatDateTime(iso, timeZone);
  return (
    <time dateTime={iso} title={absolute}>
      {formatRelative(iso)}
    </time>
  );
}
