import { Injectable } from '@nestjs/common';
import type { BatchIngestResult, BatchLineResult } from '@dora/domain';
import { DomainError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { unsafeJson } from '../../common/safe-input.js';
import { RequestValidationPipe } from '../../common/validation.js';
import type { TokenPrincipal } from '../../access/principals.js';
import { CreateDeploymentDto } from './dto/create-deployment.dto.js';
import { IngestRateLimit, MAX_BATCH_LINES } from './ingest-rate-limit.guard.js';
import { IngestService, type Reporter } from './ingest.service.js';

/** A non-blank line of a batch: its position, and its JSON value or why it has none. */
export type Line = { line: number; value: unknown } | { line: number; error: DomainError };

/**
 * `POST /api/v1/dora/deployments/batch` (DESIGN §5): each line of an NDJSON body is one ingest, stored or
 * refused on its own, with exactly the single ingest's rules, idempotency and audit event.
 */
@Injectable()
export class BatchIngestService {
  private readonly validation = new RequestValidationPipe();

  constructor(
    private readonly ingestService: IngestService,
    private readonly limit: IngestRateLimit,
  ) {}

  async ingest(token: TokenPrincipal, body: Buffer, request: RequestContext): Promise<BatchIngestResult> {
    const lines = parseLines(body);
    this.limit.take(token.tokenId, lines.length);
    const results = await this.store(token, lines, request, (line) => ({ batch_line: line }));
    const count = (status: BatchLineResult['status']) => results.filter((result) => result.status === status).length;
    return { results, totals: { created: count('created'), deduped: count('deduped'), invalid: count('invalid') } };
  }

  /**
   * Stores parsed lines one after the other, each in its own transaction as a single ingest: a line never
   * waits for another's locks, and what one stored stays stored whatever the next line is. `origin` is
   * what a line's audit event says of where it came from.
   */
  async store(reporter: Reporter, lines: Line[], request: RequestContext, origin: (line: number) => Record<string, unknown>): Promise<BatchLineResult[]> {
    const results: BatchLineResult[] = [];
    for (const parsed of lines) {
      try {
        if ('error' in parsed) throw parsed.error;
        const input = (await this.validation.transform(parsed.value, { type: 'body', metatype: CreateDeploymentDto })) as CreateDeploymentDto;
        const stored = await this.ingestService.ingest(reporter, input, request, origin(parsed.line));
        results.push({ line: parsed.line, status: stored.deduped ? 'deduped' : 'created', id: stored.id });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results.push({ line: parsed.line, status: 'invalid', error: { code: error.code, message: error.message, ...(error.details && { details: error.details }) } });
      }
    }
    return results;
  }
}

/**
 * The non-blank lines of an NDJSON body (`\n` or `\r\n`), each parsed on its own. The body as a whole is
 * refused when it is not UTF-8, holds no line at all, has more than MAX_BATCH_LINES, or is not NDJSON at
 * all (no line is JSON).
 */
function parseLines(body: Buffer): Line[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new DomainError('validation_failed', 'A batch must be UTF-8 encoded');
  }
  const lines: Line[] = [];
  for (const [line, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    if (lines.length === MAX_BATCH_LINES) throw new DomainError('payload_too_large', `A batch has at most ${MAX_BATCH_LINES.toLocaleString('en-US')} lines`);
    lines.push(parseLine(line, raw));
  }
  if (lines.length === 0) throw new DomainError('validation_failed', 'The batch is empty: send one deployment per line');
  if (lines.every((parsed) => 'error' in parsed && parsed.error.code === 'invalid_json')) {
    throw new DomainError('invalid_json', 'The body is not NDJSON: no line is a JSON value (send one JSON object per line)');
  }
  return lines;
}

/** One line of NDJSON: its value when it is a JSON object the service could store, else why not. */
export function parseLine(line: number, raw: string): Line {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { line, error: new DomainError('invalid_json', `Line ${line} is not valid JSON: ${(error as Error).message}`) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { line, error: new DomainError('validation_failed', `Line ${line} must be a JSON object: one deployment`) };
  }
  const unsafe = unsafeJson(value);
  return unsafe ? { line, error: new DomainError('validation_failed', `Invalid request: ${unsafe.field} ${unsafe.message}`, [unsafe]) } : { line, value };
}
