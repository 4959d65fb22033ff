import { Injectable } from '@nestjs/common';
import type { BatchIngestResult, BatchLineResult } from '@dora/domain';
import { DomainError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { unsafeJson } from '../../common/safe-input.js';
import { RequestValidationPipe } from '../../common/validation.js';
import type { TokenPrincipal } from '../../access/principals.js';
import { Transactions, type Tx } from '../../database/transactions.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { Telemetry } from '../observability/telemetry.js';
import { TeamAttribution } from '../teams/team-attribution.js';
import { CreateDeploymentDto } from './dto/create-deployment.dto.js';
import { IngestRateLimit, MAX_BATCH_LINES } from './ingest-rate-limit.guard.js';
import { changeSetOf, deploymentRow, ingestedEvent, type Reporter } from './ingest.service.js';
import { type BatchDeployment, DeploymentBatchesRepository, externalRefKey } from './deployment-batches.repository.js';
import type { ChangeCommit } from './deployments.repository.js';

/** A non-blank line of a batch: its position, and its JSON value or why it has none. */
export type Line = { line: number; value: unknown } | { line: number; error: DomainError };

/**
 * `POST /api/v1/dora/deployments/batch` (DESIGN §5): each line of an NDJSON body is one ingest, stored or
 * refused on its own, with exactly the single ingest's rules, idempotency and audit event — written
 * together, in one transaction of a few statements (DESIGN §3, "Writing a batch").
 */
@Injectable()
export class BatchIngestService {
  private readonly validation = new RequestValidationPipe();

  constructor(
    private readonly transactions: Transactions,
    private readonly batches: DeploymentBatchesRepository,
    private readonly audit: AuditRepository,
    private readonly teams: TeamAttribution,
    private readonly telemetry: Telemetry,
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
   * Validates each parsed line on its own and stores the valid ones, answering each line in order.
   * `origin` is what a line's audit event says of where it came from.
   */
  async store(reporter: Reporter, lines: Line[], request: RequestContext, origin: (line: number) => Record<string, unknown>): Promise<BatchLineResult[]> {
    const results = new Map<number, BatchLineResult>();
    const refuse = (line: number, error: DomainError) =>
      results.set(line, { line, status: 'invalid', error: { code: error.code, message: error.message, ...(error.details && { details: error.details }) } });
    const valid: Valid[] = [];
    for (const parsed of lines) {
      try {
        if ('error' in parsed) throw parsed.error;
        const input = (await this.validation.transform(parsed.value, { type: 'body', metatype: CreateDeploymentDto })) as CreateDeploymentDto;
        valid.push({ line: parsed.line, input, changeSet: changeSetOf(input) });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        refuse(parsed.line, error);
      }
    }
    if (valid.length > 0) {
      const stored = await this.transactions.inTenant(reporter.tenantId, (tx) => this.write(tx, reporter, valid, request, origin));
      for (const [line, outcome] of stored) {
        if (outcome instanceof DomainError) refuse(line, outcome);
        else results.set(line, { line, status: outcome.created ? 'created' : 'deduped', id: outcome.id });
      }
    }
    const created = [...results.values()].filter((result) => result.status === 'created').length;
    this.telemetry.deploymentsIngested.inc({ source: 'api' }, created);
    this.telemetry.dedupeHits.inc({ source: 'api' }, [...results.values()].filter((result) => result.status === 'deduped').length);
    return lines.map((parsed) => results.get(parsed.line)!);
  }

  /**
   * Stores valid lines as a single ingest would, one after the other, but in a few statements: the teams
   * they name (an unknown one refuses its lines), the new rows with their commits, an audit event each,
   * their targets, and what the rows imply. The locks come in the single ingest's order — the org's team lock
   * (shared), the rows' keys, the series' locks, the counts — each kind in key order, so that batches and
   * single ingests never wait for each other in a cycle. A replayed line answers the row that exists.
   */
  private async write(
    tx: Tx,
    reporter: Reporter,
    valid: Valid[],
    request: RequestContext,
    origin: (line: number) => Record<string, unknown>,
  ): Promise<Map<number, { id: string; created: boolean } | DomainError>> {
    const outcomes = new Map<number, { id: string; created: boolean } | DomainError>();
    const teams = new Map<string, string | DomainError>();
    for (const slug of new Set(valid.flatMap(({ input }) => (input.team === undefined ? [] : [input.team])))) {
      teams.set(slug, await this.teams.pinnedTeam(tx, reporter.tenantId, slug).catch((error: unknown) => asDomainError(error)));
    }
    const rows: (BatchDeployment & { line: number; input: CreateDeploymentDto })[] = [];
    for (const { line, input, changeSet } of valid) {
      const pinned = input.team === undefined ? null : teams.get(input.team)!;
      if (pinned instanceof DomainError) outcomes.set(line, pinned);
      else rows.push({ ...deploymentRow(reporter, input, pinned), changeSet, line, input });
    }

    const stored = await this.batches.insertNew(tx, reporter.tenantId, rows);
    await this.audit.recordAll(
      tx,
      reporter.tenantId,
      stored.map(({ row }) => ingestedEvent(reporter, row.input, row.id, request, origin(row.line))),
    );
    const targets = new Map(stored.map(({ row }) => [`${row.repoFullName}\0${row.service}\0${row.pinnedTeamId}`, row]));
    await this.teams.attributeNewTargets(tx, reporter.tenantId, [...targets.values()]);
    await this.batches.derive(tx, reporter.tenantId, stored);

    for (const { row } of stored) outcomes.set(row.line, { id: row.id, created: true });
    const replayed = rows.filter((row) => !outcomes.has(row.line));
    const existing = replayed.length > 0 ? await this.batches.idsByExternalRef(tx, reporter.tenantId, replayed) : new Map<string, string>();
    for (const row of replayed) outcomes.set(row.line, { id: existing.get(externalRefKey(row))!, created: false });
    return outcomes;
  }
}

/** A line that passed validation: its input and the commits it ships. */
interface Valid {
  line: number;
  input: CreateDeploymentDto;
  changeSet: ChangeCommit[];
}

function asDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  throw error;
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
