import type { MigrationInterface, QueryRunner } from 'typeorm';

const CURRENT_TENANT = `nullif(current_setting('dora.tenant_id', true), '')::uuid`;

/**
 * An org's badge keys (DESIGN §7, "Badge keys"): read-only credentials for nothing but the badges, sent
 * in the badge's URL (`key=`), since a README's readers have no session. Stored as a hash, found by
 * their prefix within the org the URL names; revoked, never deleted.
 */
export class BadgeKeys1795820000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(/* sql */ `
      CREATE TABLE badge_keys (
        tenant_id  uuid NOT NULL REFERENCES tenants (id),
        id         uuid NOT NULL,
        name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        prefix     text NOT NULL,
        key_hash   text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        PRIMARY KEY (tenant_id, id)
      )`);
    await db.query(`CREATE INDEX badge_keys_prefix_idx ON badge_keys (tenant_id, prefix)`);
    await db.query(`ALTER TABLE badge_keys ENABLE ROW LEVEL SECURITY`);
    await db.query(`ALTER TABLE badge_keys FORCE ROW LEVEL SECURITY`);
    await db.query(`CREATE POLICY badge_keys_tenant_isolation ON badge_keys USING (tenant_id = ${CURRENT_TENANT}) WITH CHECK (tenant_id = ${CURRENT_TENANT})`);
    await db.query(`GRANT SELECT, INSERT, UPDATE ON badge_keys TO dora_app`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE badge_keys`);
  }
}
