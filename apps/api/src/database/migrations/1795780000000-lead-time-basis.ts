import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change sets, second part (DESIGN §3, §4, §6): a deployment records that Forgejo's change set was cut
 * at 1,000 commits, and an org chooses which lead time its views show as the headline.
 */
export class LeadTimeBasis1795780000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE dora_deployments ADD COLUMN change_set_truncated boolean NOT NULL DEFAULT false`);
    await db.query(`ALTER TABLE tenants ADD COLUMN lead_time_basis text NOT NULL DEFAULT 'deployment'`);
    await db.query(`ALTER TABLE tenants ADD CONSTRAINT tenants_lead_time_basis_check CHECK (lead_time_basis IN ('deployment', 'change'))`);
    await db.query(`GRANT UPDATE (lead_time_basis) ON tenants TO dora_app`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`REVOKE UPDATE (lead_time_basis) ON tenants FROM dora_app`);
    await db.query(`ALTER TABLE tenants DROP COLUMN lead_time_basis`);
    await db.query(`ALTER TABLE dora_deployments DROP COLUMN change_set_truncated`);
  }
}
