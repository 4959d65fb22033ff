import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isCitus } from '../citus.js';

const CURRENT_TENANT = `nullif(current_setting('dora.tenant_id', true), '')::uuid`;

/**
 * Scale out (DESIGN §3), on every engine alike: `restored_at` is kept by the inserting transaction
 * instead of row triggers, and nothing is left that Citus refuses (a subquery in a policy, a key whose
 * locks the writing role may not take). Distributing the tables is `distributeOnCitus`, after migrations.
 */
export class ScaleOut1795750000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(/* sql */ `
      DROP TRIGGER dora_deployments_after_success ON dora_deployments;
      DROP TRIGGER dora_deployments_before_insert ON dora_deployments;
      DROP FUNCTION dora_deployments_after_success(), dora_deployments_before_insert()`);
    // Who minted a token stays recorded, without a foreign key: on Citus a write takes locks on the tables
    // its keys reference, as the writing role, which needs write rights there — dora_app has none on users.
    await db.query(`ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_created_by_fkey`);
    // For the same locks, removing expired sessions (which reference users) needs a write right on users:
    // the service's role, which creates users, may update them (on every engine alike).
    await db.query(`GRANT UPDATE ON users TO dora_service`);
    // Citus refuses subqueries in policies: the users' policy asks a function instead (the same question).
    await db.query(/* sql */ `
      CREATE FUNCTION dora_member_of_current_tenant(user_id uuid) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
        SELECT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = $1 AND m.tenant_id = ${CURRENT_TENANT})
      $$;
      REVOKE ALL ON FUNCTION dora_member_of_current_tenant(uuid) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION dora_member_of_current_tenant(uuid) TO dora_app;
      DROP POLICY users_tenant_isolation ON users;
      CREATE POLICY users_tenant_isolation ON users
        USING (dora_member_of_current_tenant(id)) WITH CHECK (dora_member_of_current_tenant(id))`);
  }

  async down(db: QueryRunner): Promise<void> {
    if (await isCitus(db)) throw new Error('A Citus cluster is not taken back to a single PostgreSQL by a migration: see README "Scaling out"');
    await db.query(/* sql */ `
      DROP POLICY users_tenant_isolation ON users;
      CREATE POLICY users_tenant_isolation ON users
        USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = ${CURRENT_TENANT}))
        WITH CHECK (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = ${CURRENT_TENANT}));
      DROP FUNCTION dora_member_of_current_tenant(uuid);
      REVOKE UPDATE ON users FROM dora_service;
      ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id)`);
    await db.query(/* sql */ `
      CREATE FUNCTION dora_deployments_before_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended(NEW.tenant_id::text || '/' || NEW.environment || '/' || NEW.repo_full_name, 0));
        NEW.restored_at := CASE WHEN NEW.success THEN NULL ELSE (
          SELECT min(deployed_at) FROM dora_deployments
           WHERE tenant_id = NEW.tenant_id AND environment = NEW.environment AND repo_full_name = NEW.repo_full_name
             AND success AND deployed_at > NEW.deployed_at) END;
        RETURN NEW;
      END
      $$;
      CREATE TRIGGER dora_deployments_before_insert BEFORE INSERT ON dora_deployments
        FOR EACH ROW EXECUTE FUNCTION dora_deployments_before_insert();
      CREATE FUNCTION dora_deployments_after_success() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        previous_success timestamptz;
      BEGIN
        SELECT max(deployed_at) INTO previous_success FROM dora_deployments
         WHERE tenant_id = NEW.tenant_id AND environment = NEW.environment AND repo_full_name = NEW.repo_full_name
           AND success AND deployed_at < NEW.deployed_at;
        UPDATE dora_deployments SET restored_at = NEW.deployed_at
         WHERE tenant_id = NEW.tenant_id AND environment = NEW.environment AND repo_full_name = NEW.repo_full_name
           AND NOT success AND deployed_at < NEW.deployed_at
           AND (previous_success IS NULL OR deployed_at >= previous_success)
           AND (restored_at IS NULL OR restored_at > NEW.deployed_at);
        RETURN NULL;
      END
      $$;
      CREATE TRIGGER dora_deployments_after_success AFTER INSERT ON dora_deployments
        FOR EACH ROW WHEN (NEW.success) EXECUTE FUNCTION dora_deployments_after_success()`);
  }
}
