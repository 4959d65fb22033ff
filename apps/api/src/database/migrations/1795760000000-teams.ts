import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isCitus } from '../citus.js';

/** `deployment_targets.pinned_team_id` of a target whose deployments' ingest named no team (TeamsRepository's NO_PIN). */
const NO_PIN = '00000000-0000-0000-0000-000000000000';

const CURRENT_TENANT = `nullif(current_setting('dora.tenant_id', true), '')::uuid`;
const COVERED = `success, is_rework, lead_time_seconds, restored_at`;

/**
 * Teams and services (DESIGN §3, §4): a deployment may name the service of a monorepo it deployed
 * (stored as '' for the whole repo, so that (repo, service) is a plain index key) and a team that owns it
 * (`pinned_team_id`); otherwise the org's ordered rules decide, once per (repo, service) — the
 * `deployment_targets` an org has deployed — so that changing the rules re-attributes all history by
 * updating those few rows, never the deployments; and a team's rows are its targets' index ranges.
 */
export class Teams1795760000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    // On a Citus install distributed before this migration: one shard at a time, so that the new tables'
    // keys to the tenants reference table may follow the DDL on dora_deployments in this transaction.
    if (await isCitus(db)) await db.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
    // The check apart from ADD COLUMN: Citus refuses a column added with a constraint on a distributed table.
    await db.query(`ALTER TABLE dora_deployments ADD COLUMN service text NOT NULL DEFAULT '', ADD COLUMN pinned_team_id uuid`);
    await db.query(`ALTER TABLE dora_deployments ADD CONSTRAINT dora_deployments_service_check CHECK (service ~ '^([A-Za-z0-9._/-]{1,128})?$')`);
    // The restore pairing is per (repo, service, environment): its probes, and the repo and service filters.
    await db.query(`DROP INDEX dora_deployments_repo_window_idx`);
    await db.query(/* sql */ `
      CREATE INDEX dora_deployments_repo_window_idx ON dora_deployments (tenant_id, environment, repo_full_name, service, deployed_at)
        INCLUDE (${COVERED}, pinned_team_id)`);
    // For removing a team: the deployments that named it.
    await db.query(`CREATE INDEX dora_deployments_pinned_team_idx ON dora_deployments (tenant_id, pinned_team_id) WHERE pinned_team_id IS NOT NULL`);
    await db.query(`GRANT UPDATE (pinned_team_id) ON dora_deployments TO dora_app`);

    await db.query(/* sql */ `
      CREATE TABLE teams (
        tenant_id  uuid NOT NULL REFERENCES tenants (id),
        id         uuid NOT NULL,
        slug       text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$' AND slug NOT IN ('rules', 'preview', 'unassigned')),
        name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
    await db.query(`CREATE UNIQUE INDEX teams_slug_key ON teams (tenant_id, slug)`);
    await db.query(/* sql */ `
      CREATE TABLE team_rules (
        tenant_id       uuid NOT NULL REFERENCES tenants (id),
        position        integer NOT NULL CHECK (position >= 0),
        team_id         uuid NOT NULL,
        repo_pattern    text NOT NULL,
        service_pattern text,
        PRIMARY KEY (tenant_id, position),
        FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id)
      )`);
    // A target is a (repo, service) and whether its deployments' ingest named a team (`pinned_team_id`,
    // the nil uuid for "no": a key column cannot be null); `owner_id` is the team that owns its rows.
    await db.query(/* sql */ `
      CREATE TABLE deployment_targets (
        tenant_id      uuid NOT NULL REFERENCES tenants (id),
        repo_full_name text NOT NULL,
        service        text NOT NULL,
        pinned_team_id uuid NOT NULL DEFAULT '${NO_PIN}',
        team_id        uuid,
        rule_position  integer,
        owner_id       uuid GENERATED ALWAYS AS (CASE WHEN pinned_team_id = '${NO_PIN}' THEN team_id ELSE pinned_team_id END) STORED,
        PRIMARY KEY (tenant_id, repo_full_name, service, pinned_team_id)
      )`);
    await db.query(`CREATE INDEX deployment_targets_owner_idx ON deployment_targets (tenant_id, owner_id)`);
    await db.query(/* sql */ `
      INSERT INTO deployment_targets (tenant_id, repo_full_name, service)
      SELECT DISTINCT tenant_id, repo_full_name, service FROM dora_deployments`);

    for (const table of ['teams', 'team_rules', 'deployment_targets']) {
      await db.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await db.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await db.query(`CREATE POLICY ${table}_tenant_isolation ON ${table} USING (tenant_id = ${CURRENT_TENANT}) WITH CHECK (tenant_id = ${CURRENT_TENANT})`);
    }
    await db.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON teams TO dora_app`);
    await db.query(`GRANT SELECT, INSERT, DELETE ON team_rules TO dora_app`);
    await db.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON deployment_targets TO dora_app`);
  }

  async down(db: QueryRunner): Promise<void> {
    if (await isCitus(db)) throw new Error('A Citus cluster is not taken back to a single PostgreSQL by a migration: see README "Scaling out"');
    await db.query(/* sql */ `
      DROP TABLE deployment_targets, team_rules, teams;
      REVOKE UPDATE (pinned_team_id) ON dora_deployments FROM dora_app;
      DROP INDEX dora_deployments_pinned_team_idx, dora_deployments_repo_window_idx;
      CREATE INDEX dora_deployments_repo_window_idx ON dora_deployments (tenant_id, environment, repo_full_name, deployed_at)
        INCLUDE (${COVERED});
      ALTER TABLE dora_deployments DROP COLUMN pinned_team_id, DROP COLUMN service`);
  }
}
