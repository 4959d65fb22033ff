import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isCitus } from '../citus.js';

const CURRENT_TENANT = `nullif(current_setting('dora.tenant_id', true), '')::uuid`;
/** As `deployment_targets.pinned_team_id`: no team named by the ingest. */
const NO_PIN = '00000000-0000-0000-0000-000000000000';

/**
 * Change sets (DESIGN §3, §4): the commits each deployment ships (`dora_deployment_commits`, its head
 * commit when it sent no list), and each commit of a (repo, service, environment) once, at the first
 * successful deployment that shipped it (`dora_changes`), kept by the inserting transaction — the
 * per-change lead time reads only that. Shas are stored lower-case: one commit, whatever case it was sent in.
 */
export class ChangeSets1795770000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    if (await isCitus(db)) await db.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
    await db.query(/* sql */ `
      CREATE TABLE dora_deployment_commits (
        tenant_id     uuid NOT NULL REFERENCES tenants (id),
        deployment_id uuid NOT NULL,
        sha           text NOT NULL,
        committed_at  timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, deployment_id, sha)
      )`);
    await db.query(/* sql */ `
      CREATE TABLE dora_changes (
        tenant_id           uuid NOT NULL REFERENCES tenants (id),
        repo_full_name      text NOT NULL,
        service             text NOT NULL,
        environment         text NOT NULL,
        sha                 text NOT NULL,
        committed_at        timestamptz NOT NULL,
        first_deployment_id uuid NOT NULL,
        first_deployed_at   timestamptz NOT NULL,
        pinned_team_id      uuid NOT NULL DEFAULT '${NO_PIN}',
        lead_time_seconds   double precision GENERATED ALWAYS AS (extract(epoch FROM first_deployed_at - committed_at)::double precision) STORED,
        PRIMARY KEY (tenant_id, repo_full_name, service, environment, sha)
      )`);
    await db.query(/* sql */ `
      CREATE INDEX dora_changes_window_idx ON dora_changes (tenant_id, environment, first_deployed_at)
        INCLUDE (lead_time_seconds, first_deployment_id)`);
    await db.query(/* sql */ `
      CREATE INDEX dora_changes_target_idx ON dora_changes (tenant_id, environment, repo_full_name, service, first_deployed_at)
        INCLUDE (lead_time_seconds, first_deployment_id, pinned_team_id)`);

    // What there is: each successful deployment's head commit is its change set.
    await db.query(/* sql */ `
      INSERT INTO dora_deployment_commits (tenant_id, deployment_id, sha, committed_at)
      SELECT tenant_id, id, lower(commit_sha), committed_at FROM dora_deployments
       WHERE commit_sha IS NOT NULL AND committed_at IS NOT NULL`);
    await db.query(/* sql */ `
      INSERT INTO dora_changes (tenant_id, repo_full_name, service, environment, sha, committed_at, first_deployment_id, first_deployed_at, pinned_team_id)
      SELECT DISTINCT ON (tenant_id, repo_full_name, service, environment, lower(commit_sha))
             tenant_id, repo_full_name, service, environment, lower(commit_sha), committed_at, id, deployed_at, coalesce(pinned_team_id, '${NO_PIN}')
        FROM dora_deployments
       WHERE success AND commit_sha IS NOT NULL AND committed_at IS NOT NULL
       ORDER BY tenant_id, repo_full_name, service, environment, lower(commit_sha), deployed_at, id`);

    for (const table of ['dora_deployment_commits', 'dora_changes']) {
      await db.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await db.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await db.query(`CREATE POLICY ${table}_tenant_isolation ON ${table} USING (tenant_id = ${CURRENT_TENANT}) WITH CHECK (tenant_id = ${CURRENT_TENANT})`);
    }
    await db.query(`GRANT SELECT, INSERT ON dora_deployment_commits TO dora_app`);
    await db.query(`GRANT SELECT, INSERT, UPDATE ON dora_changes TO dora_app`);
  }

  async down(db: QueryRunner): Promise<void> {
    if (await isCitus(db)) throw new Error('A Citus cluster is not taken back to a single PostgreSQL by a migration: see README "Scaling out"');
    await db.query(`DROP TABLE dora_changes, dora_deployment_commits`);
  }
}
