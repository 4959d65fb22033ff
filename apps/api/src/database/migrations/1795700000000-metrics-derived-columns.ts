import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the metric queries need to stay live and fast (DESIGN §3): each deployment's lead time, and
 * each failure's `restored_at` — the first later success on the same repo and environment — kept
 * exact by triggers on every insert, including out-of-order backfills; plus covering indexes led by
 * the tenant for the window scans, and the audit log's listing indexes.
 */
/** Sets every failure's restored_at from the rows there are (also used after bulk loads without triggers). */
export const BACKFILL_RESTORED_AT = /* sql */ `
  UPDATE dora_deployments f
     SET restored_at = (SELECT min(s.deployed_at) FROM dora_deployments s
                         WHERE s.tenant_id = f.tenant_id AND s.environment = f.environment
                           AND s.repo_full_name = f.repo_full_name AND s.success AND s.deployed_at > f.deployed_at)
   WHERE NOT f.success`;

export class MetricsDerivedColumns1795700000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(/* sql */ `
      ALTER TABLE dora_deployments
        ADD COLUMN lead_time_seconds double precision GENERATED ALWAYS AS (
          CASE WHEN commit_sha IS NOT NULL AND committed_at IS NOT NULL
               THEN extract(epoch FROM deployed_at - committed_at)::double precision END) STORED,
        ADD COLUMN restored_at timestamptz`);

    await db.query(`DROP INDEX dora_deployments_deployed_at_idx`);
    await db.query(/* sql */ `
      CREATE INDEX dora_deployments_window_idx ON dora_deployments (tenant_id, environment, deployed_at)
        INCLUDE (success, is_rework, lead_time_seconds, restored_at)`);
    await db.query(/* sql */ `
      CREATE INDEX dora_deployments_repo_window_idx ON dora_deployments (tenant_id, environment, repo_full_name, deployed_at)
        INCLUDE (success, is_rework, lead_time_seconds, restored_at)`);
    await db.query(BACKFILL_RESTORED_AT); // after the indexes: each failure's search is then one index probe

    // A failure learns its restore when it arrives, from the successes already there.
    await db.query(/* sql */ `
      CREATE FUNCTION dora_deployments_before_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- One writer at a time per repo and environment: concurrent inserts then see each other's rows.
        PERFORM pg_advisory_xact_lock(hashtextextended(NEW.tenant_id::text || '/' || NEW.environment || '/' || NEW.repo_full_name, 0));
        NEW.restored_at := CASE WHEN NEW.success THEN NULL ELSE (
          SELECT min(deployed_at) FROM dora_deployments
           WHERE tenant_id = NEW.tenant_id AND environment = NEW.environment AND repo_full_name = NEW.repo_full_name
             AND success AND deployed_at > NEW.deployed_at) END;
        RETURN NEW;
      END
      $$`);
    await db.query(/* sql */ `
      CREATE TRIGGER dora_deployments_before_insert BEFORE INSERT ON dora_deployments
        FOR EACH ROW EXECUTE FUNCTION dora_deployments_before_insert()`);

    // A success restores the failures between the previous success and itself whose restore is later.
    await db.query(/* sql */ `
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
      $$`);
    await db.query(/* sql */ `
      CREATE TRIGGER dora_deployments_after_success AFTER INSERT ON dora_deployments
        FOR EACH ROW WHEN (NEW.success) EXECUTE FUNCTION dora_deployments_after_success()`);
    await db.query(`GRANT UPDATE (restored_at) ON dora_deployments TO dora_app`);

    await db.query(`CREATE INDEX audit_events_occurred_idx ON audit_events (tenant_id, occurred_at, id)`);
    await db.query(`CREATE INDEX audit_events_subject_idx ON audit_events (tenant_id, subject_type, subject_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(/* sql */ `
      DROP INDEX audit_events_subject_idx, audit_events_occurred_idx;
      REVOKE UPDATE (restored_at) ON dora_deployments FROM dora_app;
      DROP TRIGGER dora_deployments_after_success ON dora_deployments;
      DROP TRIGGER dora_deployments_before_insert ON dora_deployments;
      DROP FUNCTION dora_deployments_after_success(), dora_deployments_before_insert();
      DROP INDEX dora_deployments_repo_window_idx, dora_deployments_window_idx;
      CREATE INDEX dora_deployments_deployed_at_idx ON dora_deployments (tenant_id, environment, deployed_at);
      ALTER TABLE dora_deployments DROP COLUMN restored_at, DROP COLUMN lead_time_seconds`);
  }
}
