import { type INestApplicationContext, Logger } from '@nestjs/common';
import { DomainError } from './common/errors.js';
import { TokensService } from './modules/auth/tokens.service.js';
import { UsersService } from './modules/auth/users.service.js';
import { TenantsService } from './modules/tenancy/tenants.service.js';
import { seedDemo } from './demo/seed-demo.js';

export const DEMO_ORG = 'demo';
export const DEMO_ADMIN_EMAIL = 'admin@demo.local';
/** 13 months: the Trends page's twelve monthly points and the current month are all filled. */
const DEMO_DAYS = 400;

/**
 * On the very first start of the embedded database (someone trying it out at a terminal): a `demo` org
 * with 13 months of sample deployments (a year of trend), its admin and an ingest token, so that the
 * dashboard a newcomer opens is alive and they can send a deployment within a minute. Answers the text to print once, or
 * `undefined`. Several starts racing on the org's unique slug: only the winner goes on.
 */
export async function createDemoOrgOnFirstStart(app: INestApplicationContext, baseUrl: string): Promise<string | undefined> {
  const tenants = app.get(TenantsService);
  if (!(await tenants.isEmpty())) return undefined;
  const actor = { type: 'system', id: 'first-start' } as const;
  let org;
  try {
    org = await tenants.create({ slug: DEMO_ORG, name: 'Demo' }, actor);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'conflict') return undefined;
    throw error;
  }
  const admin = await app.get(UsersService).addToOrg({ email: DEMO_ADMIN_EMAIL, tenantId: org.id, role: 'admin' }, actor);
  const { secret } = await app.get(TokensService).mint(
    { tenantId: org.id, name: 'first-start ingest', scopes: ['findings:write'], expiresAt: null, createdBy: null },
    actor,
  );
  new Logger('FirstStart').log('first start: filling the demo org with 13 months of sample deployments through the ingest path (under a minute)');
  const sampled = await seedDemo(app, org, { days: DEMO_DAYS, force: false });
  const now = new Date();
  const body = JSON.stringify({
    repo_full_name: 'demo/web',
    environment: 'production',
    deployed_at: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    commit_sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    committed_at: new Date(now.getTime() - 45 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    success: true,
    external_ref: 'first-deploy',
  });
  return [
    '',
    'First start: created the org "demo" with an admin and an ingest token.',
    'They are shown this once; only their hashes are stored.',
    `It holds ${sampled} sample deployments of the last 13 months: sign in at ${baseUrl}/${DEMO_ORG}/_admin/dora`,
    '',
    `  admin email:     ${admin.user.email}`,
    `  admin password:  ${admin.generatedPassword}`,
    `  ingest token:    ${secret}`,
    '',
    'Send a deployment:',
    '',
    `  curl -sS -X POST ${baseUrl}/api/v1/dora/deployments \\`,
    `    -H "Authorization: Bearer ${secret}" \\`,
    `    -H "Content-Type: application/json" \\`,
    `    -d '${body}'`,
    '',
  ].join('\n');
}
