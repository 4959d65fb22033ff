import type { INestApplicationContext } from '@nestjs/common';
import { DomainError } from '../common/errors.js';
import { Transactions } from '../database/transactions.js';
import { TokensService } from '../modules/auth/tokens.service.js';
import { DeploymentsRepository } from '../modules/ingest/deployments.repository.js';
import { IngestService } from '../modules/ingest/ingest.service.js';
import type { Tenant } from '../modules/tenancy/tenants.repository.js';
import { TeamsService } from '../modules/teams/teams.service.js';
import { demoHistory, demoTeams } from './demo-history.js';

/**
 * Fills an org with a demo history through the real ingest path (a token named "demo seed",
 * revoked at the end; one audited deployment at a time), and gives it the demo's teams when it has
 * none. Refuses an org that has deployments, unless forced.
 */
export async function seedDemo(app: INestApplicationContext, org: Tenant, options: { days: number; force: boolean }): Promise<number> {
  const hasDeployments = await app.get(Transactions).inTenant(org.id, (tx) => app.get(DeploymentsRepository).exists(tx, org.id));
  if (hasDeployments && !options.force) {
    throw new DomainError('conflict', `"${org.slug}" already has deployments: demo data would mix with them (--force to add them anyway)`);
  }
  await addDemoTeams(app, org);
  const tokens = app.get(TokensService);
  const { token } = await tokens.mint(
    { tenantId: org.id, name: 'demo seed', scopes: ['findings:write'], expiresAt: new Date(Date.now() + 3_600_000), createdBy: null },
    { type: 'system', id: 'cli' },
  );
  const principal = { kind: 'token' as const, tokenId: token.id, tenantId: org.id, name: token.name, scopes: token.scopes };
  const ingest = app.get(IngestService);
  let stored = 0;
  const runId = Date.now().toString(36);
  try {
    for (const deployment of demoHistory(org.slug, { days: options.days, now: Date.now() })) {
      const result = await ingest.ingest(principal, { ...deployment, external_ref: `${deployment.external_ref}-${runId}` }, { requestId: `demo-seed-${runId}`, ip: undefined });
      if (!result.deduped) stored++;
    }
  } finally {
    await tokens.revokeInOrg(org.id, token.id, { type: 'system', id: 'cli' });
  }
  return stored;
}

/** The demo's teams and rules, unless the org has teams of its own. */
async function addDemoTeams(app: INestApplicationContext, org: Tenant): Promise<void> {
  const teams = app.get(TeamsService);
  if ((await teams.list(org)).length > 0) return;
  const demo = demoTeams(org.slug);
  for (const team of demo.teams) await teams.create(org, team, { type: 'system', id: 'cli' });
  await teams.replaceRules(org, demo.rules, { type: 'system', id: 'cli' });
}
