import { describe, expect, it, jest } from '@jest/globals';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Typed linting builds the TypeScript programs first: tens of seconds on a busy machine.
jest.setTimeout(240_000);

/**
 * The boundaries of eslint.config.mjs refuse what they should, with the real config on real files'
 * paths (with other contents): a rename that made a rule stop matching would fail here.
 */
describe('module boundaries in lint', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const problems = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: `${ROOT}${filePath}` });
    return result!.messages.map((message) => `${message.ruleId}: ${message.message}`);
  };

  it.each([
    ['the audit log imports no module', 'apps/api/src/modules/audit/audit.service.ts', '../auth/tokens.service.js', /^api\/boundaries: modules\/audit may not import modules\/auth .*sink/],
    ['the floor imports no module', 'apps/api/src/common/cursor.ts', '../modules/metrics/metrics.service.js', /^api\/boundaries: common may not import modules\/metrics/],
    ['the access floor neither', 'apps/api/src/access/access.guard.ts', '../modules/auth/tokens.service.js', /^api\/boundaries: access may not import modules\/auth/],
    ['reads never write', 'apps/api/src/modules/metrics/metrics.service.ts', '../ingest/ingest.service.js', /^api\/boundaries: modules\/metrics may not import modules\/ingest .*reads never write/],
    ['reads never write, webhook neither', 'apps/api/src/modules/metrics/metrics.service.ts', '../webhook/webhook.service.js', /^api\/boundaries: modules\/metrics may not import modules\/webhook/],
    ['ingest never imports webhook', 'apps/api/src/modules/ingest/ingest.service.ts', '../webhook/webhook.service.js', /^api\/boundaries: modules\/ingest may not import modules\/webhook/],
    ['no module imports the CLI', 'apps/api/src/modules/tenancy/tenants.service.ts', '../../cli/commands.js', /^api\/boundaries: modules\/tenancy may not import \. /],
    ['the API never runs test-only code', 'apps/api/src/modules/metrics/metrics.service.ts', '@dora/domain/reference', /^no-restricted-imports: .*reference metrics are for tests/],
    ['the dashboard never imports the API', 'apps/dashboard/src/main.tsx', '../../api/src/app.js', /^@nx\/enforce-module-boundaries: /],
    ['libs never import apps', 'libs/dora/src/bands.ts', '../../../apps/api/src/app.js', /^@nx\/enforce-module-boundaries: /],
  ])('refuses what breaks the rule "%s"', async (_rule, filePath, source, message) => {
    expect(await problems(filePath, `import * as forbidden from '${source}';\nexport const probe = forbidden;\n`)).toEqual([expect.stringMatching(message)]);
  });

  it('lets a module import what it may', async () => {
    expect(await problems('apps/api/src/modules/webhook/webhook.service.ts', `import * as allowed from '../ingest/ingest.service.js';\nexport const probe = allowed;\n`)).toEqual([]);
    expect(await problems('apps/api/src/modules/metrics/metrics.service.ts', `import * as allowed from '../../access/access.guard.js';\nexport const probe = allowed;\n`)).toEqual([]);
  });
});
