import { once } from 'node:events';
import type { Response } from 'express';

/** A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'`. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): numbers plain, never quoted or prefixed; nothing (null) empty; text defused
 * against formulas, then quoted when it holds a quote, a comma or a line break.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return String(value);
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** An answer's item as one CSV row: nested fields under their dotted JSON path (`lead_time.p50_seconds`). */
export function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== null && typeof field === 'object' && !Array.isArray(field)) Object.assign(row, flatten(field as Record<string, unknown>, `${prefix}${key}.`));
    else row[`${prefix}${key}`] = field;
  }
  return row;
}

/**
 * Streams rows as a CSV download (UTF-8, CRLF, a header row of the first row's field names, or of
 * `emptyColumns` when there is no row), one row at a time and waiting for the client when its buffer is
 * full: memory stays bounded whatever the size.
 */
export async function sendCsv(
  response: Response,
  filename: string,
  rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>,
  emptyColumns?: string[],
): Promise<void> {
  response.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
  response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  let columns: string[] | undefined;
  for await (const row of rows) {
    let line = '';
    if (!columns) {
      columns = Object.keys(row);
      line = `${columns.map(csvCell).join(',')}\r\n`;
    }
    line += `${columns.map((column) => csvCell(row[column])).join(',')}\r\n`;
    if (!response.write(line)) await Promise.race([once(response, 'drain'), once(response, 'close')]);
    if (response.destroyed) return; // the client went away
  }
  if (!columns && emptyColumns) response.write(`${emptyColumns.map(csvCell).join(',')}\r\n`);
  response.end();
}
