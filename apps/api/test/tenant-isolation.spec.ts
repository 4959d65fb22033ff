import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { uuidv7 } from 'uuidv7';
import { Transactions } from '../src/database/transactions.js';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { UsersService } from '../src/modules/auth/users.service.js';
import { ForgejoOwnersService } from '../src/modules/webhook/forgejo-owners.service.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Row-level security is the last line of defence: these queries deliberately forget their tenant
 * filter, on whichever database the run uses (real PostgreSQL or the embedded default).
 */
describe(`tenant isolation in the database (${process.env.DORA_TEST_DATABASE_KIND})`, () => {
  let t: TestApp;
  let transactions: Transactions;
  let orgA: Tenant;
  let orgB: Tenant;

  const insertDeployment = (tenantId: string, repo: string) =>
    t.ownerQuery(
      `INSERT INTO dora_deployments (tenant_id, id, repo_full_name, environment, deployed_at, source)
       VALUES ($1, $2, $3, 'production', now(), 'api')`,
      [tenantId, uuidv7(), repo],
    );

  beforeAll(async () => {
    t = await startTestApp();
    transactions = t.app.get(Transactions);
    orgA = await createOrg(t.app, 'iso-a');
    orgB = await createOrg(t.app, 'iso-b');
    await insertDeployment(orgA.id, 'a/one');
    await insertDeployment(orgA.id, 'a/two');
    await insertDeployment(orgB.id, 'b/one');
    await createToken(t.app, orgA);
    await createToken(t.app, orgB);
    const users = t.app.get(UsersService);
    for (const org of [orgA, orgB]) {
      await users.addToOrg({ email: `member@${org.slug}.test`, tenantId: org.id, role: 'viewer', password: 'a password long enough' }, { type: 'system', id: 'cli' });
    }
    await t.app.get(ForgejoOwnersService).map(orgA.id, orgA.slug, { type: 'system', id: 'cli' });
    await t.app.get(ForgejoOwnersService).map(orgB.id, orgB.slug, { type: 'system', id: 'cli' });
  });
  afterAll(() => t.close());

  it('shows a tenant only its own rows in every tenant-owned table, without any WHERE', async () => {
    const seen = await transactions.inTenant(orgA.id, async (tx) => ({
      tenants: await tx.query<{ id: string }>(`SELECT id FROM tenants`),
      deployments: await tx.query<{ tenant_id: string; repo_full_name: string }>(`SELECT tenant_id, repo_full_name FROM dora_deployments`),
      tokens: await tx.query<{ tenant_id: string }>(`SELECT tenant_id FROM api_tokens`),
      events: await tx.query<{ tenant_id: string }>(`SELECT tenant_id FROM audit_events`),
      memberships: await tx.query<{ tenant_id: string }>(`SELECT tenant_id FROM memberships`),
      owners: await tx.query<{ tenant_id: string }>(`SELECT tenant_id FROM forgejo_owners`),
    }));
    expect(seen.tenants).toEqual([{ id: orgA.id }]);
    expect(seen.deployments.map((d) => d.repo_full_name).sort()).toEqual(['a/one', 'a/two']);
    for (const rows of [seen.deployments, seen.tokens, seen.events, seen.memberships, seen.owners]) {
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((row) => row.tenant_id))).toEqual(new Set([orgA.id]));
    }
  });

  it("refuses to write a row into another tenant (WITH CHECK), and cannot change another tenant's rows", async () => {
    await expect(
      transactions.inTenant(orgA.id, (tx) =>
        tx.query(
          `INSERT INTO dora_deployments (tenant_id, id, repo_full_name, environment, deployed_at, source)
           VALUES ($1, $2, 'b/forged', 'production', now(), 'api')`,
          [orgB.id, uuidv7()],
        ),
      ),
    ).rejects.toThrow(/row-level security/);

    const touched = await transactions.inTenant(orgA.id, (tx) => tx.execute(`UPDATE api_tokens SET revoked_at = now() WHERE tenant_id = $1`, [orgB.id]));
    expect(touched).toBe(0);
    const [revokedInB] = await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM api_tokens WHERE tenant_id = $1 AND revoked_at IS NOT NULL`, [orgB.id]);
    expect(revokedInB!.n).toBe(0);
  });

  it('leaves no role and no tenant on the pooled connection after COMMIT or ROLLBACK', async () => {
    const state = `SELECT current_user AS role, coalesce(current_setting('dora.tenant_id', true), '') AS tenant`;
    const inside = await transactions.inTenant(orgA.id, (tx) => tx.query<{ role: string; tenant: string }>(state));
    expect(inside).toEqual([{ role: 'dora_app', tenant: orgA.id }]);

    await expect(transactions.inTenant(orgA.id, () => Promise.reject(new Error('rolled back')))).rejects.toThrow('rolled back');

    const after = await transactions.acrossTenants('operator cli', (tx) => tx.query<{ role: string; tenant: string }>(state));
    expect(after[0]!.role).not.toBe('dora_app');
    expect(after[0]!.tenant).toBe('');
  });

  it('accepts only a UUID as tenant id', async () => {
    await expect(transactions.inTenant(`${orgA.id}', true); SELECT ('`, (tx) => tx.query(`SELECT 1`))).rejects.toThrow(/Not a tenant id/);
  });

  it('shows nothing to the application role when no tenant is set', async () => {
    const rows = await transactions.acrossTenants('operator cli', async (tx) => {
      await tx.query(`SET LOCAL ROLE dora_app`);
      return tx.query(`SELECT id FROM dora_deployments`);
    });
    expect(rows).toEqual([]);
  });

  it('shows a tenant only the users who are its members', async () => {
    const [stranger] = await t.ownerQuery<{ id: string }>(`INSERT INTO users (id, email, password_hash) VALUES ($1, $2, 'x') RETURNING id`, [
      uuidv7(),
      `stranger-${uuidv7()}@example.test`,
    ]);
    const [member] = await t.ownerQuery<{ id: string }>(
      `INSERT INTO users (id, email, password_hash) VALUES ($1, $2, 'x') RETURNING id`,
      [uuidv7(), `member-${uuidv7()}@example.test`],
    );
    await t.ownerQuery(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'viewer')`, [orgA.id, member!.id]);

    const users = await transactions.inTenant(orgA.id, (tx) => tx.query<{ id: string }>(`SELECT id FROM users ORDER BY id`));
    const members = await t.ownerQuery<{ id: string }>(`SELECT user_id AS id FROM memberships WHERE tenant_id = $1 ORDER BY user_id`, [orgA.id]);
    expect(users).toEqual(members);
    expect(users).toContainEqual({ id: member!.id });
    expect(users).not.toContainEqual({ id: stranger!.id });
    await expect(transactions.inTenant(orgA.id, (tx) => tx.query(`SELECT password_hash FROM users`))).rejects.toThrow(/permission denied/);
  });

  it('keeps the audit log append-only for the service, and (where triggers run) for the owner too', async () => {
    const tampering = [`UPDATE audit_events SET action = 'tampered' WHERE tenant_id = '${orgA.id}'`, `DELETE FROM audit_events WHERE tenant_id = '${orgA.id}'`, `TRUNCATE audit_events`];
    for (const sql of tampering) {
      await expect(transactions.acrossTenants('operator cli', (tx) => tx.query(sql))).rejects.toThrow(/permission denied|append-only/);
      await expect(transactions.inTenant(orgA.id, (tx) => tx.query(sql))).rejects.toThrow(/permission denied|append-only/);
    }
    // Citus runs no triggers on distributed tables: there the service's privileges are the wall (DESIGN §3).
    const [citus] = await t.ownerQuery(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`);
    if (!citus) {
      for (const sql of tampering) await expect(t.ownerQuery(sql)).rejects.toThrow(/append-only/);
    }
  });

  it('runs every session in UTC', async () => {
    const [row] = await t.ownerQuery<{ TimeZone: string }>(`SHOW TimeZone`);
    expect(row!.TimeZone).toBe('UTC');
  });
});
