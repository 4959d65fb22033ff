/** `from` and `to` of the URL (local date-times, as the inputs hold them) as the API's instants. */
export function timeRangeOf(params: URLSearchParams): { from?: string; to?: string } {
  const toIso = (local: string | null) => (local ? new Date(local).toISOString() : undefined);
  return { from: toIso(params.get('from')), to: toIso(params.get('to')) };
}

/** The From and To inputs of a filter form, kept in the URL. */
export function TimeRangeFilter({ params, set }: { params: URLSearchParams; set: (name: string, value: string) => void }) {
  return (
    <>
      <label>
        From
        <input type="datetime-local" value={params.get('from') ?? ''} onChange={(e) => set('from', e.target.value)} />
      </label>
      <label>
        To
        <input type="datetime-local" value={params.get('to') ?? ''} onChange={(e) => set('to', e.target.value)} />
      </label>
    </>
  );
}
