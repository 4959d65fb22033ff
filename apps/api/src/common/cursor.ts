import type { Page } from '@dora/domain';
import { DomainError } from './errors.js';
import { unsafeJson } from './safe-input.js';
import { parseRfc3339 } from './timestamps.js';
import { isUuid } from './uuid.js';

/** Opaque page cursors: the last item's sort key, as base64url JSON. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Reads a cursor made by `encodeCursor`, checking its shape with `isValid`; anything else is a 400. */
export function decodeCursor<Key extends unknown[]>(cursor: string, isValid: (key: unknown[]) => key is Key): Key {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || unsafeJson(key) || !isValid(key)) {
    throw new DomainError('validation_failed', 'cursor is not valid: pass next_cursor of the previous page unchanged', [
      { field: 'cursor', message: 'is not a cursor of this list' },
    ]);
  }
  return key;
}

/** The cursor of a newest-first list: the last item's timestamp (UTC, to the microsecond) and id. */
export function isTimeAndIdCursor(key: unknown[]): key is [string, string] {
  return (
    key.length === 2 &&
    typeof key[0] === 'string' &&
    key[0].endsWith('Z') &&
    parseRfc3339(key[0]) !== undefined &&
    typeof key[1] === 'string' &&
    isUuid(key[1])
  );
}

/**
 * A keyset page from the rows a query fetched with `limit + 1`: the extra row only tells that there is
 * a next page, whose cursor is the key of the page's last row.
 */
export function pageOf<Row, Item>(rows: Row[], limit: number, toItem: (row: Row) => Item, keyOf: (row: Row) => unknown[]): Page<Item> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(toItem), next_cursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
