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
}
