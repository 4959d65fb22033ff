import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ReferenceDeployment } from '@dora/domain/reference';
import { uuidv7 } from 'uuidv7';
import { Transactions } from '../../src/database/transactions.js';
import { IngestService } from '../../src/modules/ingest/ingest.service.js';
import { TeamAttribution } from '../../src/modules/teams/team-attribution.js';

/** Stores deployments through the ingest path (a team named by its slug, a change set when listed), in the given order, in one tenant transaction. */
export async function insertDeployments(app: NestExpressApplication, tenantId: string, rows: ReferenceDeployment[]): Promise<void> {
  const ingest = app.get(IngestService);
  const teams = app.get(TeamAttribution);
  await app.get(Transactions).inTenant(tenantId, async (tx) => {
    for (const row of rows) {
      const changeSet = row.commits?.map((commit) => ({ sha: commit.sha, committedAt: new Date(commit.committed_at).toISOString() }));
      await ingest.insertNew(tx, {
        id: uuidv7(),
        tenantId,
        repoFullName: row.repo_full_name,
        environment: row.environment,
        deployedAt: new Date(row.deployed_at).toISOString(),
        commitSha: row.commit_sha,
        committedAt: row.committed_at === null ? null : new Date(row.committed_at).toISOString(),
        success: row.success,
        isRework: row.is_rework,
        externalRef: null,
        service: row.service ?? '',
        pinnedTeamId: row.team === null ? null : await teams.pinnedTeam(tx, tenantId, row.team),
        source: 'api',
        tokenId: null,
      }, changeSet);
    }
  });
}

/** A deployment with the defaults of the ingest API: successful, not rework, no commit. */
export function deployment(at: string | number, fields: Partial<ReferenceDeployment> = {}): ReferenceDeployment {
  return {
    repo_full_name: 'acme/web',
    environment: 'production',
    deployed_at: typeof at === 'number' ? at : Date.parse(at),
    commit_sha: null,
    committed_at: null,
    success: true,
    is_rework: false,
    service: null,
    team: null,
    ...fields,
  };
}
