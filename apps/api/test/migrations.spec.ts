import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { assertOwnerBypassesRowSecurity, migrate } from '../src/database/migrate.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('migrations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('are applied once: running them again on the migrated database changes nothing', async () => {
    expect(await migrate(t.app.get(DataSource))).toEqual([]);
    const [row] = await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM migrations`);
    expect(row!.n).toBeGreaterThanOrEqual(1);
  });

  it('create the application role without the power to bypass row-level security', async () => {
    const [role] = await t.ownerQuery<Record<string, boolean>>(
      `SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = 'dora_app'`,
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: false });
  });

  it('force row-level security on every table that holds tenant data', async () => {
    const tables = await t.ownerQuery<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
        WHERE relname IN ('tenants', 'users', 'memberships', 'api_tokens', 'dora_deployments', 'audit_events', 'webhook_deliveries', 'identity_providers')
          AND relkind = 'r' ORDER BY relname`,
    );
    expect(tables).toHaveLength(8);
    for (const table of tables) expect(table).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
  });

  it('refuse to start on a database user that forced row-level security would blind', async () => {
    await expect(assertOwnerBypassesRowSecurity(t.app.get(DataSource))).resolves.toBeUndefined();
    const runner = t.app.get(DataSource).createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`SET LOCAL ROLE dora_app`);
      await expect(assertOwnerBypassesRowSecurity(runner)).rejects.toThrow(/"dora_app" cannot bypass row-level security.*BYPASSRLS/);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
