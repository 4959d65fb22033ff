import type { Tx } from './transactions.js';

/** Parameters per statement: PostgreSQL's protocol takes at most 65,535. */
const MAX_PARAMETERS = 60_000;

/**
 * Inserts many rows as multi-row `VALUES` lists, in as few statements as the parameter limit allows, in
 * the rows' order; answers what the statements return. `statement` writes the INSERT around its
 * `values`, where `$1` is the tenant id. Not `INSERT … SELECT FROM unnest(…)`: Citus runs that as a
 * COPY, which row-level security refuses.
 */
export async function insertRows<Row extends object>(
  tx: Tx,
  tenantId: string,
  rows: unknown[][],
  statement: (values: string) => string,
): Promise<Row[]> {
  const width = rows[0]?.length ?? 1;
  const perStatement = Math.floor(MAX_PARAMETERS / width);
  const answered: Row[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    answered.push(...(await tx.query<Row>(statement(placeholders(chunk.length, width)), [tenantId, ...chunk.flat()])));
  }
  return answered;
}

/** `($1, $2, $3), ($1, $4, $5)` for 2 rows of width 2: each row's own parameters after the tenant's. */
function placeholders(rows: number, width: number): string {
  let values = '';
  let next = 2;
  for (let i = 0; i < rows; i++) {
    values += i === 0 ? '($1' : ', ($1';
    for (let k = 0; k < width; k++) values += `, $${next++}`;
    values += ')';
  }
  return values;
}

/**
 * Orders rows by their leading text columns (code points; null first): writers that insert many rows
 * under one unique key in the same order wait for each other, never in a cycle.
 */
export function byKey(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x, y] = [a[i] ?? '', b[i] ?? ''];
    if (typeof x !== 'string' || typeof y !== 'string') break;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
