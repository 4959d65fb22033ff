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
   * Inserts unless a row with the same (tenant, repo, environment, external_ref) exists: then answers
   * `undefined`. The caller keeps the restores (`keepRestores`) once the row is in.
   */
  async insertIfNew(tx: Tx, d: NewDeployment): Promise<StoredDeployment | undefined> {
    const [row] = await tx.query<StoredDeployment>(
      /* sql */ `
      INSERT INTO dora_deployments
        (tenant_id, id, repo_full_name, environment, deployed_at, commit_sha, committed_at, success, is_rework,
         external_ref, source, token_id, service, pinned_team_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
      ON CONFLICT (tenant_id, repo_full_name, environment, external_ref) WHERE external_ref IS NOT NULL DO NOTHING
      RETURNING ${RETURNED}`,
      [
        d.tenantId,
        d.id,
        d.repoFullName,
        d.environment,
        d.deployedAt,
        d.commitSha,
        d.committedAt,
        d.success,
        d.isRework,
        d.externalRef,
        d.source,
        d.tokenId,
        d.service,
        d.pinnedTeamId,
      ],
    );
    return row;
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
   * Each failure's restored_at — the first success of its series (tenant, environment, repo, service)
   * strictly later than it — kept exact by
   * the inserting transaction (DESIGN §3), out-of-order backfills included: after the row is in, under
   * the series' lock (one writer at a time, and each sees the rows committed before it), a failure
   * learns its restore from the successes there, and a success restores the failures between the
   * previous success and itself whose restore is later or unknown. The lock comes after the INSERT,
   * so a request never waits for it while another waits for the table (a bounded wait, not two).
   */
  async keepRestores(tx: Tx, p: SeriesPoint): Promise<void> {
    const series = [p.tenantId, p.environment, p.repoFullName, p.service, p.deployedAt];
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::text || '/' || $2 || '/' || $3 || '/' || $4, 0))`, series.slice(0, 4));
    if (!p.success) {
      await tx.query(
        /* sql */ `
        UPDATE dora_deployments SET restored_at = later.first
          FROM (SELECT min(deployed_at) AS first FROM dora_deployments
                 WHERE tenant_id = $1 AND environment = $2 AND repo_full_name = $3 AND service = $4 AND success AND deployed_at > $5) later
         WHERE tenant_id = $1 AND id = $6 AND later.first IS NOT NULL`,
        [...series, p.id],
      );
      return;
    }
    await tx.query(
      /* sql */ `
      UPDATE dora_deployments SET restored_at = $5
       WHERE tenant_id = $1 AND environment = $2 AND repo_full_name = $3 AND service = $4
         AND NOT success AND deployed_at < $5
         AND deployed_at >= coalesce((SELECT max(deployed_at) FROM dora_deployments
                                       WHERE tenant_id = $1 AND environment = $2 AND repo_full_name = $3 AND service = $4
                                         AND success AND deployed_at < $5), '-infinity')
         AND (restored_at IS NULL OR restored_at > $5)`,
      series,
    );
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

  async exists(tx: Tx, tenantId: string): Promise<boolean> {
    const [row] = await tx.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM dora_deployments WHERE tenant_id = $1) AS found`, [tenantId]);
    return row!.found;
  }
}
