import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrations } from '../src/database/data-source.js';
import { startEmbeddedDatabase } from '../src/database/embedded/embedded-database.js';
import { checkRuntimeRole, migrate, migrateAsOwner } from '../src/database/migrate.js';
import type { OpenDatabase } from '../src/database/open-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { ownerUrl, testDatabase } from './support/test-database.js';

const onPostgres = process.env.DORA_TEST_DATABASE_KIND === 'postgresql';

/** A database of the run's kind with nothing in it: a new one on the PostgreSQL server, or a new embedded one. */
async function emptyDatabase(): Promise<{ database: OpenDatabase; drop(): Promise<void> }> {
  if (!onPostgres) {
    const embedded = await startEmbeddedDatabase({ dataDir: undefined, maxConnections: 3 });
    return { database: { ...testDatabase(), url: embedded.url }, drop: () => embedded.stop() };
  }
  const name = `dora_upgrade_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: ownerUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ownerUrl());
  url.pathname = `/${name}`;
  return {
    database: { ...testDatabase(), url: url.toString() },
    async drop() {
      const dropper = new pg.Client({ connectionString: ownerUrl() });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

describe('migrations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('are applied once: running them again on the migrated database changes nothing', async () => {
    expect(await migrateAsOwner(testDatabase(), ownerUrl())).toEqual([]);
    const [row] = await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM migrations`);
    expect(row!.n).toBe(migrations.length);
  });

  it('create the application roles without the power to bypass row-level security or to log in', async () => {
    const roles = await t.ownerQuery<Record<string, unknown>>(
      `SELECT rolname, rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname IN ('dora_app', 'dora_service') ORDER BY rolname`,
    );
    expect(roles).toEqual([
      { rolname: 'dora_app', rolsuper: false, rolbypassrls: false, rolcanlogin: false },
      { rolname: 'dora_service', rolsuper: false, rolbypassrls: false, rolcanlogin: false },
    ]);
  });

  it('force row-level security on every table that holds tenant data', async () => {
    const tables = await t.ownerQuery<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
        WHERE (relname IN ('tenants', 'users', 'memberships')
               OR relname IN (SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id'))
          AND relkind = 'r' ORDER BY relname`,
    );
    // Every table with a tenant_id, those of later migrations included.
    expect(tables.map((table) => table.relname)).toEqual(expect.arrayContaining(['api_tokens', 'audit_events', 'dora_change_counts', 'dora_deployment_counts', 'webhook_deliveries']));
    for (const table of tables) expect(table).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
  });

  it('refuse to start on a database user that forced row-level security would blind', async () => {
    await expect(checkRuntimeRole(t.app.get(DataSource))).resolves.toEqual({ name: expect.any(String), ownsSchema: !onPostgres });
    const runner = t.app.get(DataSource).createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`SET LOCAL ROLE dora_app`);
      await expect(checkRuntimeRole(runner)).rejects.toThrow(/"dora_app" cannot bypass row-level security.*BYPASSRLS/);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('leave the service role unable to alter tables or touch the audit log beyond INSERT and SELECT', async () => {
    // On PostgreSQL the tests run as a login role in dora_service; the embedded database has one role, so become it here.
    const as = async (statement: string) => {
      const runner = t.app.get(DataSource).createQueryRunner();
      try {
        await runner.startTransaction();
        if (!onPostgres) await runner.query(`SET LOCAL ROLE dora_service`);
        await runner.query(statement);
        return 'allowed';
      } catch (error) {
        return (error as { code?: string }).code;
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    };
    const refused = '42501'; // insufficient_privilege ("must be owner", "permission denied")
    expect(await as(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`)).toBe(refused);
    expect(await as(`ALTER TABLE audit_events DISABLE TRIGGER ALL`)).toBe(refused);
    expect(await as(`UPDATE audit_events SET action = 'forged'`)).toBe(refused);
    expect(await as(`DELETE FROM audit_events`)).toBe(refused);
    expect(await as(`TRUNCATE audit_events`)).toBe(refused);
    expect(await as(`DROP TABLE audit_events`)).toBe(refused);
    expect(await as(`DROP TRIGGER audit_events_no_truncate ON audit_events`)).toBe(refused);
    expect(await as(`ALTER TABLE dora_deployments DISABLE ROW LEVEL SECURITY`)).toBe(refused);
    expect(await as(`DELETE FROM dora_deployments`)).toBe(refused);
    expect(await as(`SELECT count(*) FROM audit_events`)).toBe('allowed');
  });

  it('upgrade an install of the old rules without stopping what works', async () => {
    const { database, drop } = await emptyDatabase();
    const options = dataSourceOptions({ ...database, poolSize: 1 });
    const old = new DataSource({ ...options, migrations: migrations.slice(0, 4) });
    await old.initialize();
    try {
      await migrate(old);
      // What the old rules left: releases of "Acme" processed into the org "acme"; a stranger's skipped; an issuer trusted
      // for any subject and with dora:admin.
      await old.query(`INSERT INTO tenants (id, slug, name) VALUES ('018f0000-0000-7000-8000-000000000001', 'acme', 'Acme')`);
      const release = (owner: string) => JSON.stringify({ repository: { owner: { login: owner } } });
      await old.query(
        `INSERT INTO webhook_deliveries (id, delivery_id, event, payload, status, give_up_at, tenant_id) VALUES
           ('018f0000-0000-7000-8000-000000000002', 'd1', 'release', $1, 'processed', now(), '018f0000-0000-7000-8000-000000000001'),
           ('018f0000-0000-7000-8000-000000000003', 'd2', 'release', $1, 'processed', now(), '018f0000-0000-7000-8000-000000000001'),
           ('018f0000-0000-7000-8000-000000000004', 'd3', 'release', $2, 'skipped', now(), NULL)`,
        [release('Acme'), release('stranger')],
      );
      // Deployments of the old rules: one with a lead time of 2 h, a failure with commit data, one without.
      await old.query(
        `INSERT INTO dora_deployments (tenant_id, id, repo_full_name, environment, deployed_at, commit_sha, committed_at, success, source) VALUES
           ('018f0000-0000-7000-8000-000000000001', '018f0000-0000-7000-8000-000000000006', 'acme/web', 'production', '2026-05-01T12:00:00Z', 'abc1234', '2026-05-01T10:00:00Z', true, 'api'),
           ('018f0000-0000-7000-8000-000000000001', '018f0000-0000-7000-8000-000000000007', 'acme/web', 'production', '2026-05-01T13:00:00Z', 'abc1234', '2026-05-01T10:00:00Z', false, 'api'),
           ('018f0000-0000-7000-8000-000000000001', '018f0000-0000-7000-8000-000000000008', 'acme/web', 'production', '2026-05-01T14:00:00Z', NULL, NULL, true, 'api')`,
      );
      await old.query(
        `INSERT INTO identity_providers (tenant_id, id, issuer, jwks, audience, required_claims, allowed_scopes) VALUES
           ('018f0000-0000-7000-8000-000000000001', '018f0000-0000-7000-8000-000000000005', 'https://any.example', '{"keys":[]}', 'dora', '{}', ARRAY['findings:write', 'dora:admin'])`,
      );
    } finally {
      await old.destroy();
    }
    try {
      const applied = await migrateAsOwner({ ...database, poolSize: 1 }, database.url);
      expect(applied).toEqual(migrations.slice(4).map((migration) => migration.name));
      const current = new DataSource(options);
      await current.initialize();
      try {
        expect(await current.query(`SELECT tenant_id, owner FROM forgejo_owners`)).toEqual([{ tenant_id: '018f0000-0000-7000-8000-000000000001', owner: 'acme' }]);
        expect(await current.query(`SELECT allow_any_subject, allowed_scopes FROM identity_providers`)).toEqual([{ allow_any_subject: true, allowed_scopes: ['findings:write'] }]);
        // The counts by kind cover the deployments stored before them: 7,200 s falls in lead-time bucket 1 + ⌊16 · ln 7200⌋;
        // -3 a failure, -2 a success without commit data.
        expect(await current.query(`SELECT day::text, kind, sum(n)::int AS n FROM dora_deployment_counts GROUP BY 1, 2 ORDER BY 2`)).toEqual([
          { day: '2026-05-01', kind: -3, n: 1 },
          { day: '2026-05-01', kind: -2, n: 1 },
          { day: '2026-05-01', kind: 1 + Math.floor(16 * Math.log(7200)), n: 1 },
        ]);
      } finally {
        await current.destroy();
      }
    } finally {
      await drop();
    }
  });
});
