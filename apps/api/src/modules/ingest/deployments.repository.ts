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
}

export interface StoredDeployment {
  id: string;
  tenant_id: string;
  repo_full_name: string;
  environment: string;
  deployed_at: Date;
}

const RETURNED = `id, tenant_id, repo_full_name, environment, deployed_at`;

@Injectable()
export class DeploymentsRepository {
  /** Inserts unless a row with the same (tenant, repo, environment, external_ref) exists: then answers `undefined`. */
  async insertIfNew(tx: Tx, d: NewDeployment): Promise<StoredDeployment | undefined> {
    const [row] = await tx.query<StoredDeployment>(
      /* sql */ `
      INSERT INTO dora_deployments
        (tenant_id, id, repo_full_name, environment, deployed_at, commit_sha, committed_at, success, is_rework,
         external_ref, source, token_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
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
         source, delivery_id)
      VALUES ($1, $2, $3, 'production', $4, $5, $6, $7, $8, 'forgejo', $9)
      ON CONFLICT DO NOTHING
      RETURNING ${RETURNED}`,
      [d.tenantId, d.id, d.repoFullName, d.deployedAt, d.commitSha, d.committedAt, d.externalRef, d.releaseTag, d.deliveryId],
    );
    return row;
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
