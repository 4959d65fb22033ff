import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transactions.js';
import { NO_PIN } from '../teams/teams.repository.js';

/** A commit of a change set, its sha lower-case. */
export interface ChangeCommit {
  sha: string;
  committedAt: string;
}

/** The deployment that shipped a change set. */
export interface ShippingDeployment {
  id: string;
  tenantId: string;
  repoFullName: string;
  service: string;
  environment: string;
  deployedAt: string;
  success: boolean;
  pinnedTeamId: string | null;
}

/** Rows per statement: 1,000 commits in two, under PostgreSQL's 65,535 parameters. */
const CHUNK = 500;

/** Change sets (DESIGN §3): the commits a deployment ships, and each commit's first successful deployment. */
@Injectable()
export class ChangesRepository {
  /**
   * Stores the change set and, for a success, makes it each commit's first shipping deployment where it
   * is earlier than the one known — whatever order deployments arrive in (ties: the smaller id). Each
   * commit's row is one upsert, so concurrent deployments of the same commit settle on the earliest.
   */
  async record(tx: Tx, deployment: ShippingDeployment, commits: ChangeCommit[]): Promise<void> {
    for (let start = 0; start < commits.length; start += CHUNK) {
      const chunk = commits.slice(start, start + CHUNK);
      const values = chunk.map((_, i) => `($1, $2, $${2 * i + 3}, $${2 * i + 4})`).join(', ');
      await tx.query(`INSERT INTO dora_deployment_commits (tenant_id, deployment_id, sha, committed_at) VALUES ${values}`, [
        deployment.tenantId,
        deployment.id,
        ...chunk.flatMap((commit) => [commit.sha, commit.committedAt]),
      ]);
      if (!deployment.success) continue;
      const changes = chunk.map((_, i) => `($1, $2, $3, $4, $${2 * i + 8}, $${2 * i + 9}::timestamptz, $5::uuid, $6::timestamptz, $7::uuid)`).join(', ');
      await tx.query(
        /* sql */ `
        INSERT INTO dora_changes AS c (tenant_id, repo_full_name, service, environment, sha, committed_at, first_deployment_id, first_deployed_at, pinned_team_id)
        VALUES ${changes}
        ON CONFLICT (tenant_id, repo_full_name, service, environment, sha) DO UPDATE
           SET committed_at = EXCLUDED.committed_at, first_deployment_id = EXCLUDED.first_deployment_id,
               first_deployed_at = EXCLUDED.first_deployed_at, pinned_team_id = EXCLUDED.pinned_team_id
         WHERE (EXCLUDED.first_deployed_at, EXCLUDED.first_deployment_id) < (c.first_deployed_at, c.first_deployment_id)`,
        [
          deployment.tenantId,
          deployment.repoFullName,
          deployment.service,
          deployment.environment,
          deployment.id,
          deployment.deployedAt,
          deployment.pinnedTeamId ?? NO_PIN,
          ...chunk.flatMap((commit) => [commit.sha, commit.committedAt]),
        ],
      );
    }
  }
}
