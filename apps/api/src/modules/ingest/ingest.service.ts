import { Injectable } from '@nestjs/common';
import type { DeploymentInput, IngestedDeployment, LastDeployment } from '@dora/domain';
import { uuidv7 } from 'uuidv7';
import type { RequestContext } from '../../common/request-context.js';
import { DomainError } from '../../common/errors.js';
import { toUtc } from '../../common/timestamps.js';
import { Transactions, type Tx } from '../../database/transactions.js';
import { type AuditEvent, AuditRepository } from '../audit/audit.repository.js';
import type { TokenPrincipal } from '../../access/principals.js';
import { Telemetry } from '../observability/telemetry.js';
import { TeamAttribution } from '../teams/team-attribution.js';
import { WHOLE_REPO } from '../teams/teams.repository.js';
import { type ChangeCommit, DeploymentsRepository, type NewDeployment, type NewForgejoDeployment, type SeriesPoint, type StoredDeployment } from './deployments.repository.js';

@Injectable()
export class IngestService {
  constructor(
    private readonly transactions: Transactions,
    private readonly deployments: DeploymentsRepository,
    private readonly audit: AuditRepository,
    private readonly telemetry: Telemetry,
    private readonly teams: TeamAttribution,
  ) {}

  /**
   * Records one deployment reported through the API (or imported by the operator). Idempotent on (repo,
   * environment, external_ref): a replay answers the row that exists, even if its other fields differ,
   * and writes nothing. `origin` goes into its audit event: where it came from (a batch's line, a file's).
   */
  async ingest(reporter: Reporter, input: DeploymentInput, request: RequestContext, origin: Record<string, unknown> = {}): Promise<IngestedDeployment> {
    const result = await this.record(reporter, input, request, origin);
    (result.deduped ? this.telemetry.dedupeHits : this.telemetry.deploymentsIngested).inc({ source: 'api' });
    return result;
  }

  private record(reporter: Reporter, input: DeploymentInput, request: RequestContext, origin: Record<string, unknown>): Promise<IngestedDeployment> {
    const tenantId = reporter.tenantId;
    const changeSet = changeSetOf(input);
    return this.transactions.inTenant(tenantId, async (tx) => {
      const pinnedTeamId = input.team === undefined ? null : await this.teams.pinnedTeam(tx, tenantId, input.team);
      const deployment = deploymentRow(reporter, input, pinnedTeamId);
      const inserted = await this.insertNew(tx, deployment, changeSet);
      if (inserted) {
        await this.audit.record(tx, ingestedEvent(reporter, input, inserted.id, request, origin));
        return toResponse(inserted, false);
      }
      // A conflict can only come from an external_ref; the conflicting row is committed and visible now.
      const existing = await this.deployments.findByExternalRef(tx, {
        tenantId,
        repoFullName: input.repo_full_name,
        environment: input.environment,
        externalRef: input.external_ref!,
      });
      return toResponse(existing!, true);
    });
  }

  /** The last successful deployment of a (repo, environment, service) of the token's org: its commit and time only. */
  async lastDeployment(token: TokenPrincipal, query: { repo_full_name: string; environment: string; service?: string }): Promise<LastDeployment> {
    const service = query.service ?? WHOLE_REPO;
    const last = await this.transactions.inTenant(token.tenantId, (tx) =>
      this.deployments.lastSuccessful(tx, { tenantId: token.tenantId, repoFullName: query.repo_full_name, environment: query.environment, service }),
    );
    if (!last) {
      const series = `${query.repo_full_name} in ${query.environment}${query.service ? ` (service ${query.service})` : ''}`;
      throw new DomainError('not_found', `No successful deployment of ${series} in this org`);
    }
    return { commit_sha: last.commit_sha, deployed_at: last.deployed_at.toISOString() };
  }

  /**
   * Stores a deployment unless its (repo, environment, external_ref) exists (then answers undefined),
   * with what a new row implies in the same transaction: its target's team, then the restores of its
   * series and its change set — in this order, so that the org's team lock (shared) is never awaited
   * while holding the series' lock.
   */
  async insertNew(tx: Tx, deployment: NewDeployment, changeSet: ChangeCommit[] = headCommit(deployment)): Promise<StoredDeployment | undefined> {
    const outcome = await this.deployments.ingest(tx, deployment, changeSet);
    if (outcome === 'deduped') return undefined;
    if (outcome === 'new_target') {
      await this.teams.attributeTargets(tx, deployment.tenantId, [deployment]);
      await this.deployments.derive(tx, deployment, changeSet);
    }
    return {
      id: deployment.id,
      tenant_id: deployment.tenantId,
      repo_full_name: deployment.repoFullName,
      environment: deployment.environment,
      deployed_at: new Date(deployment.deployedAt),
    };
  }

  /** What a new Forgejo row implies: as for an ingested one (`insertNew`). */
  private async derive(tx: Tx, row: SeriesPoint & { pinnedTeamId: null }, changeSet: ChangeCommit[]): Promise<void> {
    await this.teams.attributeNewTargets(tx, row.tenantId, [{ repoFullName: row.repoFullName, service: WHOLE_REPO, pinnedTeamId: null }]);
    await this.deployments.derive(tx, row, changeSet);
  }

  /**
   * Records a deployment from a Forgejo delivery with its audit event (actor webhook:forgejo), or finds
   * the one its release or tag already has. Answers the deployment's id and whether this call made it.
   */
  async recordForgejoDeployment(input: ForgejoDeploymentInput): Promise<{ id: string; created: boolean }> {
    const result = await this.recordForgejo(input);
    (result.created ? this.telemetry.deploymentsIngested : this.telemetry.dedupeHits).inc({ source: 'forgejo' });
    return result;
  }

  private recordForgejo(input: ForgejoDeploymentInput): Promise<{ id: string; created: boolean }> {
    return this.transactions.inTenant(input.tenantId, async (tx) => {
      const { commits, ...deployment } = input;
      const inserted = await this.deployments.insertForgejoIfNew(tx, { id: uuidv7(), ...deployment });
      if (inserted) {
        const row = { ...deployment, id: inserted.id, environment: 'production', service: WHOLE_REPO, success: true, pinnedTeamId: null };
        await this.derive(tx, row, commits ?? headCommit(input));
        await this.audit.record(tx, {
          tenantId: input.tenantId,
          action: 'api.dora.deployments.ingested',
          actor: { type: 'webhook', id: 'forgejo' },
          subject: { type: 'deployment', id: inserted.id },
          metadata: {
            delivery_id: input.deliveryId,
            repo_full_name: input.repoFullName,
            external_ref: input.externalRef,
            release_tag: input.releaseTag,
            deployed_at: input.deployedAt,
            commit_sha: input.commitSha,
            committed_at: input.committedAt,
            commits: (commits ?? headCommit(input)).length,
            change_set_truncated: input.changeSetTruncated,
          },
        });
        return { id: inserted.id, created: true };
      }
      const existing = await this.deployments.findForgejo(tx, input);
      return { id: existing!.id, created: false };
    });
  }
}

/** Who reports a deployment: an API token, or the operator importing a file (`deployments:import`). */
export type Reporter = TokenPrincipal | { kind: 'operator'; tenantId: string };

/** The row an ingested deployment is stored as, with a new id. */
export function deploymentRow(reporter: Reporter, input: DeploymentInput, pinnedTeamId: string | null): NewDeployment {
  return {
    id: uuidv7(),
    tenantId: reporter.tenantId,
    repoFullName: input.repo_full_name,
    environment: input.environment,
    deployedAt: toUtc(input.deployed_at),
    commitSha: input.commit_sha ?? null,
    committedAt: input.committed_at ? toUtc(input.committed_at) : null,
    success: input.success ?? true,
    isRework: input.is_rework ?? false,
    externalRef: input.external_ref ?? null,
    service: input.service ?? WHOLE_REPO,
    pinnedTeamId,
    source: 'api',
    tokenId: reporter.kind === 'token' ? reporter.tokenId : null,
  };
}

/**
 * The audit event of a stored ingest. The change set is the deployment's own (its detail lists it): the
 * event says how many commits it had. `origin`: where it came from (a batch's line, a file's).
 */
export function ingestedEvent(reporter: Reporter, input: DeploymentInput, id: string, request: RequestContext, origin: Record<string, unknown>): AuditEvent {
  const token = reporter.kind === 'token' ? reporter : undefined;
  return {
    tenantId: reporter.tenantId,
    action: 'api.dora.deployments.ingested',
    actor: token ? { type: 'token', id: token.tokenId } : { type: 'system', id: 'cli' },
    subject: { type: 'deployment', id },
    request,
    metadata: {
      ...(token ? { token_name: token.name } : {}),
      ...input,
      ...(input.commits ? { commits: input.commits.length } : {}),
      ...origin,
    },
  };
}

/** A Forgejo deployment with its change set (its head commit when it has none). */
export type ForgejoDeploymentInput = Omit<NewForgejoDeployment, 'id'> & { commits?: ChangeCommit[] };

function toResponse(row: StoredDeployment, deduped: boolean): IngestedDeployment {
  return {
    id: row.id,
    tenant_id: row.tenant_id,
    repo_full_name: row.repo_full_name,
    environment: row.environment,
    deployed_at: row.deployed_at.toISOString(),
    deduped,
  };
}

/** A deployment that lists no commits ships its head commit, when it names one with its time. */
function headCommit(deployment: { commitSha: string | null; committedAt: string | null }): ChangeCommit[] {
  return deployment.commitSha && deployment.committedAt ? [{ sha: deployment.commitSha.toLowerCase(), committedAt: deployment.committedAt }] : [];
}

/**
 * The commits an ingest ships: its list (no sha twice, whatever the case; the head commit among them
 * when it names one), else its head commit. A validation error names the field otherwise.
 */
export function changeSetOf(input: DeploymentInput): ChangeCommit[] {
  if (input.commits === undefined) {
    return headCommit({ commitSha: input.commit_sha ?? null, committedAt: input.committed_at ? toUtc(input.committed_at) : null });
  }
  const commits = input.commits.map((commit) => ({ sha: commit.sha.toLowerCase(), committedAt: toUtc(commit.committed_at) }));
  const seen = new Set<string>();
  for (const [i, commit] of commits.entries()) {
    if (seen.has(commit.sha)) throw invalid(`commits.${i}.sha`, `lists ${commit.sha} a second time`);
    seen.add(commit.sha);
  }
  if (input.commit_sha !== undefined && !seen.has(input.commit_sha.toLowerCase())) throw invalid('commits', `must include the head commit ${input.commit_sha}`);
  return commits;
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('validation_failed', `Invalid request: ${field} ${message}`, [{ field, message }]);
}
