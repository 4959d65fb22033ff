import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each org's configuration version, raised by every change of it (settings, and later team rules): a
 * metric read runs on the read replica only once the replica holds the version the primary has
 * (DESIGN §3), so no number is computed with a configuration the admin already changed.
 */
export class ConfigVersion1795740000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tenants ADD COLUMN config_version integer NOT NULL DEFAULT 0`);
    await db.query(`GRANT UPDATE (config_version) ON tenants TO dora_app`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`REVOKE UPDATE (config_version) ON tenants FROM dora_app`);
    await db.query(`ALTER TABLE tenants DROP COLUMN config_version`);
  }
}
