import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { DomainError } from '../common/errors.js';
import { BatchIngestService, type Line, parseLine } from '../modules/ingest/batch-ingest.service.js';
import type { Tenant } from '../modules/tenancy/tenants.repository.js';

/** Lines stored per call of the batch path: as a batch of the API, without its HTTP. */
const CHUNK = 1000;
const BOOLEAN_FIELDS = new Set(['success', 'is_rework']);

export interface ImportSummary {
  created: number;
  deduped: number;
  invalid: number;
  /** Where the refused lines went, when there were any. */
  refusedFile: string | null;
}

/**
 * `deployments:import`: every deployment of an NDJSON file (one per line) or a CSV file (a header row of
 * the ingest's field names) through the batch ingest's path, as the operator (audited as the CLI, with
 * the file's name and line). Refused lines go to `refusedFile` with their reasons; a progress bar shows
 * on a terminal. Lines are numbered as editors do, from 1.
 */
export async function importDeployments(app: INestApplicationContext, org: Tenant, file: string, refusedFile: string): Promise<ImportSummary> {
  const batch = app.get(BatchIngestService);
  const size = await stat(file).then(
    (found) => found.size,
    () => Promise.reject(new DomainError('not_found', `No file "${file}" to import`)),
  );
  const progress = progressBar(basename(file), size);
  const summary = { created: 0, deduped: 0, invalid: 0 };
  const refused: string[] = [];
  const request = { requestId: `import-${uuidv7()}`, ip: undefined }; // ties the import's audit events together
  const store = async (lines: Line[], records: Map<number, string>) => {
    const results = await batch.store({ kind: 'operator', tenantId: org.id }, lines, request, (line) => ({
      import_file: basename(file),
      import_line: line,
    }));
    for (const result of results) {
      summary[result.status]++;
      if (result.status === 'invalid') refused.push(JSON.stringify({ line: result.line, error: result.error, record: records.get(result.line) }));
    }
  };

  // One chunk is read and validated while the one before it is written: the file's order does not
  // matter to what is stored (DESIGN §3), and a line repeated across the two is stored once.
  let pending: Line[] = [];
  let records = new Map<number, string>();
  let writing: Promise<void> = Promise.resolve();
  for await (const record of recordsOf(file, progress.advance)) {
    records.set(record.line, record.text);
    pending.push(record.parsed);
    if (pending.length === CHUNK) {
      const stored = store(pending, records);
      await writing.catch(async (error: unknown) => {
        await stored.catch(() => undefined);
        throw error;
      });
      writing = stored.then(() => progress.show(summary));
      [pending, records] = [[], new Map()];
    }
  }
  await writing;
  if (pending.length > 0) await store(pending, records);
  progress.done(summary);
  if (refused.length > 0) await writeFile(refusedFile, `${refused.join('\n')}\n`);
  return { ...summary, refusedFile: refused.length > 0 ? refusedFile : null };
}

type FileRecord = { line: number; text: string; parsed: Line };

/** The file's records: NDJSON unless its first non-blank character says otherwise (CSV). */
async function* recordsOf(file: string, advance: (bytes: number) => void): AsyncGenerator<FileRecord> {
  const chunks = (async function* () {
    for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
      advance(Buffer.byteLength(chunk as string));
      yield chunk as string;
    }
  })();
  let header: string[] | undefined;
  let csv: boolean | undefined;
  for await (const { line, text } of rowsOf(chunks, () => csv === true)) {
    if (text.trim() === '') continue;
    if (csv === undefined) {
      csv = !text.trimStart().startsWith('{');
      if (csv) {
        header = csvFields(text);
        continue;
      }
    }
    yield { line, text, parsed: parseLine(line, csv ? JSON.stringify(objectOf(header!, csvFields(text))) : text) };
  }
}

/**
 * Rows of text from chunks: lines (`\n`, a `\r` before it dropped), or — once `isCsv` — RFC 4180 records,
 * whose quoted fields may hold line breaks. Each with the number of the line it starts on (from 1).
 */
async function* rowsOf(chunks: AsyncIterable<string>, isCsv: () => boolean): AsyncGenerator<{ line: number; text: string }> {
  let buffer = '';
  let line = 1;
  for await (const chunk of chunks) {
    buffer += chunk;
    let end: number;
    while ((end = recordEnd(buffer, isCsv())) >= 0) {
      const text = buffer.slice(0, end).replace(/\r$/, '');
      buffer = buffer.slice(end + 1);
      yield { line, text };
      line += 1 + (text.match(/\n/g)?.length ?? 0);
    }
  }
  if (buffer.length > 0) yield { line, text: buffer.replace(/\r$/, '') };
}

/** Where the first record of `buffer` ends (its `\n`), or -1 while it is incomplete: a CSV record's quoted fields may span lines. */
function recordEnd(buffer: string, csv: boolean): number {
  if (!csv) return buffer.indexOf('\n');
  let quoted = false;
  for (let i = 0; i < buffer.length; i++) {
    const c = buffer[i];
    if (c === '"') quoted = !quoted; // an escaped quote ("") toggles twice
    else if (c === '\n' && !quoted) return i;
  }
  return -1;
}

/** The fields of one CSV record (RFC 4180: commas, double-quoted fields, "" for a quote inside them). */
export function csvFields(record: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const c = record[i]!;
    if (quoted && c === '"' && record[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields;
}

/**
 * A CSV row as the ingest's JSON: an empty cell is a field not given, `success` and `is_rework` are
 * `true`/`false`, `commits` is the JSON array of the ingest; anything else is refused by the ingest's own
 * rules (an unknown column by name).
 */
export function objectOf(header: string[], fields: string[]): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  header.forEach((name, i) => {
    const cell = fields[i] ?? '';
    if (cell === '') return;
    if (BOOLEAN_FIELDS.has(name) && (cell === 'true' || cell === 'false')) value[name] = cell === 'true';
    else if (name === 'commits') value[name] = parseJsonCell(cell);
    else value[name] = cell;
  });
  if (fields.length > header.length) value[`(column ${header.length + 1})`] = fields[header.length];
  return value;
}

function parseJsonCell(cell: string): unknown {
  try {
    return JSON.parse(cell);
  } catch {
    return cell; // refused by the ingest's rules as not an array
  }
}

/** A progress bar on stderr when it is a terminal; nothing otherwise. */
function progressBar(name: string, totalBytes: number) {
  const terminal = process.stderr.isTTY === true;
  let bytes = 0;
  let drawnAt = 0;
  const draw = (summary: { created: number; deduped: number; invalid: number }, force = false) => {
    if (!terminal || (!force && Date.now() - drawnAt < 100)) return;
    drawnAt = Date.now();
    const share = totalBytes === 0 ? 1 : Math.min(1, bytes / totalBytes);
    const width = 30;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '-');
    process.stderr.write(`\r${name} [${bar}] ${Math.round(share * 100)}%  ${summary.created} created, ${summary.deduped} deduped, ${summary.invalid} refused `);
  };
  return {
    advance: (read: number) => (bytes += read),
    show: (summary: { created: number; deduped: number; invalid: number }) => draw(summary),
    done: (summary: { created: number; deduped: number; invalid: number }) => {
      draw(summary, true);
      if (terminal) process.stderr.write('\n');
    },
  };
}
