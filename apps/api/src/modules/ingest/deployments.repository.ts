import { Injectable } from '@nestjs/common';
import type { DeploymentSource } from '@dora/domain';
import type { Tx } from '../../database/transactions.js';

export interface NewDeployment {
  id: string;
  tenantId: string;
  repoFullName: string;
  environment: string;
  deployedAt: string;
  commitSha: string | null;
  committedAt: string | null;
  success: boolean;
  isRework: boolean;
  externalRef: string | null;
  /** '' for the whole repo (DESIGN §3). */
  service: string;
  pinnedTeamId: string | null;
  source: DeploymentSource;
  tokenId: string | null;
}

/** A deployment reported by a Forgejo delivery: one per release id and one per tag (DESIGN §3). */
export interface NewForgejoDeployment {
  id: string;
  tenantId: string;
  repoFullName: string;
  deployedAt: string;
  commitSha: string | null;
  committedAt: string | null;
  externalRef: string;
  releaseTag: string;
  deliveryId: string;
  /** Forgejo's change set had more than 1,000 commits (DESIGN §6). */
  changeSetTruncated: boolean;
}

export interface StoredDeployment {
  id: string;
  tenant_id: string;
  repo_full_name: string;
  environment: string;
  deployed_at: Date;
}

const RETURNED = `id, tenant_id, repo_full_name, environment, deployed_at`;

/** A commit of a change set, its sha lower-case, its time RFC 3339 in UTC. */
export interface ChangeCommit {
  sha: string;
  committedAt: string;
}

/** Where a deployment falls for time to restore: its series (tenant, environment, repo, service), its time (as sent, to the microsecond) and outcome. */
export interface SeriesPoint {
  id: string;
  tenantId: string;
  environment: string;
  repoFullName: string;
  service: string;
  deployedAt: string;
  success: boolean;
}

@Injectable()
export class DeploymentsRepository {
  /**
   * Inserts unless a row with the same (tenant, repo, environment, external_ref) exists (`deduped`), with
   * its target and what it implies (`derive`) — unless its target is new and unpinned (`new_target`):
   * then the caller applies the org's rules and derives. One statement (DESIGN §3, "Writing a deployment").
   */
  async ingest(tx: Tx, d: NewDeployment, changeSet: ChangeCommit[]): Promise<'created' | 'deduped' | 'new_target'> {
    const [row] = await tx.query<{ outcome: 'created' | 'deduped' | 'new_target' }>(
      `SELECT dora_ingest_deployment($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) AS outcome`,
      [
        d.tenantId,
        d.id,
        d.repoFullName,
        d.environment,
        d.service,
        d.deployedAt,
        d.commitSha,
        d.committedAt,
        d.success,
        d.isRework,
        d.externalRef,
        d.source,
        d.tokenId,
        d.pinnedTeamId,
        ...changeSetArrays(changeSet),
      ],
    );
    return row!.outcome;
  }

  async findByExternalRef(
    tx: Tx,
    key: { tenantId: string; repoFullName: string; environment: string; externalRef: string },
  ): Promise<StoredDeployment | undefined> {
    const [row] = await tx.query<StoredDeployment>(
      /* sql */ `
      SELECT ${RETURNED} FROM dora_deployments
       WHERE tenant_id = $1 AND repo_full_name = $2 AND environment = $3 AND external_ref = $4`,
      [key.tenantId, key.repoFullName, key.environment, key.externalRef],
    );
    return row;
  }

  /**
   * Inserts unless the release (external_ref) or its tag (release_tag) already has a deployment —
   * whichever of a tag push and a release came first — and answers `undefined` then.
   */
  async insertForgejoIfNew(tx: Tx, d: NewForgejoDeployment): Promise<StoredDeployment | undefined> {
    const [row] = await tx.query<StoredDeployment>(
      /* sql */ `
      INSERT INTO dora_deployments
        (tenant_id, id, repo_full_name, environment, deployed_at, commit_sha, committed_at, external_ref, release_tag,
         source, delivery_id, change_set_truncated)
      VALUES ($1, $2, $3, 'production', $4, $5, $6, $7, $8, 'forgejo', $9, $10)
      ON CONFLICT DO NOTHING
      RETURNING ${RETURNED}`,
      [d.tenantId, d.id, d.repoFullName, d.deployedAt, d.commitSha, d.committedAt, d.externalRef, d.releaseTag, d.deliveryId, d.changeSetTruncated],
    );
    return row;
  }

  /**
   * What a new row implies, under its series' lock (one writer at a time, and each sees the rows
   * committed before it), whatever order rows arrive in: each failure's restored_at — the first success
   * of its series (tenant, environment, repo, service) strictly later than it — and its change set with,
   * for a success, each commit's first shipping deployment and the counts per-change lead time reads
   * (DESIGN §3). The caller has inserted the row and attributed its target.
   */
  async derive(tx: Tx, p: SeriesPoint & { pinnedTeamId: string | null }, changeSet: ChangeCommit[]): Promise<void> {
    await tx.query(`SELECT dora_derive_deployment($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
      p.tenantId,
      p.id,
      p.environment,
      p.repoFullName,
      p.service,
      p.deployedAt,
      p.success,
      p.pinnedTeamId,
      ...changeSetArrays(changeSet),
    ]);
  }

  /** The deployment that a Forgejo release or tag already has. */
  async findForgejo(tx: Tx, key: { tenantId: string; repoFullName: string; externalRef: string; releaseTag: string }): Promise<StoredDeployment | undefined> {
    const [row] = await tx.query<StoredDeployment>(
      /* sql */ `
      SELECT ${RETURNED} FROM dora_deployments
       WHERE tenant_id = $1 AND repo_full_name = $2 AND environment = 'production'
         AND (external_ref = $3 OR (source = 'forgejo' AND release_tag = $4))
       LIMIT 1`,
      [key.tenantId, key.repoFullName, key.externalRef, key.releaseTag],
    );
    return row;
  }

  /** The last successful deployment of a series: the latest deployed_at (of equal ones, the greater id). */
  async lastSuccessful(tx: Tx, series: Omit<SeriesPoint, 'id' | 'deployedAt' | 'success'>): Promise<{ commit_sha: string | null; deployed_at: Date } | undefined> {
    const [row] = await tx.query<{ commit_sha: string | null; deployed_at: Date }>(
      /* sql */ `
      SELECT lower(commit_sha) AS commit_sha, deployed_at FROM dora_deployments
       WHERE tenant_id = $1 AND environment = $2 AND repo_full_name = $3 AND service = $4 AND success
       ORDER BY deployed_at DESC, id DESC
       LIMIT 1`,
      [series.tenantId, series.environment, series.repoFullName, series.service],
    );
    return row;
  }

  async exists(tx: Tx, tenantId: string): Promise<boolean> {
    const [row] = await tx.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM dora_deployments WHERE tenant_id = $1) AS found`, [tenantId]);
    return row!.found;
  }
}

/** A change set as the ingest functions take it: its shas and their commit times, in the same order. */
function changeSetArrays(changeSet: ChangeCommit[]): [string[], string[]] {
  return [changeSet.map((commit) => commit.sha), changeSet.map((commit) => commit.committedAt)];
}
