export interface Change {
  direction: 'up' | 'down' | 'same';
  /** Whether the move is good news for this metric. */
  improved: boolean | null;
  /** The difference, formatted like the metric. */
  delta: string;
}

/** The change against the previous window, or `null` when either side has no data. */
export function changeAgainst(
  current: number | null,
  previous: number | null,
  better: 'higher' | 'lower',
  describe: (current: number, previous: number) => string,
): Change | null {
  if (current === null || previous === null) return null;
  if (current === previous) return { direction: 'same', improved: null, delta: describe(current, previous) };
  const direction = current > previous ? 'up' : 'down';
  return { direction, improved: (direction === 'up') === (better === 'higher'), delta: describe(current, previous) };
}
