import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isCitus } from '../citus.js';
import { LEAD_BUCKET, SLOT } from './1795790000000-change-counts.js';

const CURRENT_TENANT = `nullif(current_setting('dora.tenant_id', true), '')::uuid`;

/**
 * A whole environment's window without reading each of its deployments (DESIGN §4, "How a whole
 * environment's window is read"): `dora_deployment_counts` counts the deployments of each UTC day by
 * kind (DEPLOYMENT_KINDS: the bucket of a successful one's lead time, or what else it was), so that
 * the counts of four of the five metrics add up from a few rows per day; a lead-time percentile sorts
 * one bucket's deployments of the window only (`dora_deployments.lead_bucket`, an index per bucket); and
 * time to restore reads the failures alone (a partial index).
 *
 * A deployment's kind never changes once stored, so a count only grows: `dora_derive_deployment` (now
 * `dora_derive_series` and then the counts) adds a single ingest's, `dora_add_deployment_counts` a
 * batch's — after the series' locks and the change counts, the order every writer keeps. The key
 * covers `n`, and now dora_change_counts' too: a 90-day window's counts (some 100,000 rows in a big org)
 * are read from the index alone, five times faster than row by row.
 */
export class DeploymentCounts1795830000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    if (await isCitus(db)) await db.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
    await db.query(/* sql */ `
      ALTER TABLE dora_deployments ADD COLUMN lead_bucket smallint GENERATED ALWAYS AS (
        CASE WHEN success AND commit_sha IS NOT NULL AND committed_at IS NOT NULL
             THEN ${LEAD_BUCKET('extract(epoch FROM deployed_at - committed_at)::double precision')} END) STORED`);
    await db.query(/* sql */ `
      CREATE INDEX dora_deployments_lead_bucket_idx ON dora_deployments (tenant_id, environment, lead_bucket, deployed_at)
        INCLUDE (lead_time_seconds) WHERE lead_bucket >= 0`);
    await db.query(/* sql */ `
      CREATE INDEX dora_deployments_failures_idx ON dora_deployments (tenant_id, environment, deployed_at)
        INCLUDE (restored_at) WHERE NOT success`);

    await db.query(/* sql */ `
      CREATE TABLE dora_deployment_counts (
        tenant_id   uuid NOT NULL REFERENCES tenants (id),
        environment text NOT NULL,
        day         date NOT NULL,
        kind        smallint NOT NULL,
        slot        smallint NOT NULL,
        n           integer NOT NULL,
        PRIMARY KEY (tenant_id, environment, day, kind, slot) INCLUDE (n)
      )`);
    await db.query(DEPLOYMENT_COUNTS);
    await db.query(`ALTER TABLE dora_deployment_counts ENABLE ROW LEVEL SECURITY`);
    await db.query(`ALTER TABLE dora_deployment_counts FORCE ROW LEVEL SECURITY`);
    await db.query(
      `CREATE POLICY dora_deployment_counts_tenant_isolation ON dora_deployment_counts USING (tenant_id = ${CURRENT_TENANT}) WITH CHECK (tenant_id = ${CURRENT_TENANT})`,
    );
    await db.query(`GRANT SELECT, INSERT, UPDATE ON dora_deployment_counts TO dora_app`);
    // The change counts are read the same way: their key covers `n` too (two statements: one subcommand each on Citus).
    await db.query(`ALTER TABLE dora_change_counts DROP CONSTRAINT dora_change_counts_pkey`);
    await db.query(`ALTER TABLE dora_change_counts ADD PRIMARY KEY (tenant_id, environment, day, lead_bucket, slot) INCLUDE (n)`);

    // Row by row, in key order, like dora_add_change_counts (an INSERT … SELECT is a COPY on Citus, which row-level security refuses).
    await db.query(/* sql */ `
      CREATE FUNCTION dora_add_deployment_counts(
        p_tenant_id uuid, p_environments text[], p_days date[], p_kinds smallint[], p_repos text[], p_services text[]
      ) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        counted record;
      BEGIN
        FOR counted IN
          SELECT k.environment, k.day, k.kind, (abs(hashtext(k.repo || '/' || k.service)) % 8)::smallint AS slot, count(*)::int AS n
            FROM unnest(p_environments, p_days, p_kinds, p_repos, p_services) AS k (environment, day, kind, repo, service)
           GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        LOOP
          INSERT INTO dora_deployment_counts AS c (tenant_id, environment, day, kind, slot, n)
          VALUES (p_tenant_id, counted.environment, counted.day, counted.kind, counted.slot, counted.n)
          ON CONFLICT (tenant_id, environment, day, kind, slot) DO UPDATE SET n = c.n + EXCLUDED.n;
        END LOOP;
      END
      $$`);

    await db.query(`ALTER FUNCTION ${DERIVE}(${DERIVE_ARGS}) RENAME TO dora_derive_series`);
    await db.query(/* sql */ `
      CREATE FUNCTION ${DERIVE}(
        p_tenant_id uuid, p_id uuid, p_environment text, p_repo_full_name text, p_service text,
        p_deployed_at timestamptz, p_success boolean, p_pinned_team_id uuid, p_shas text[], p_committed_ats timestamptz[]
      ) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        kinds smallint[];
        counted_kind smallint;
      BEGIN
        PERFORM dora_derive_series(p_tenant_id, p_id, p_environment, p_repo_full_name, p_service, p_deployed_at, p_success,
                                   p_pinned_team_id, p_shas, p_committed_ats);
        SELECT ${KINDS_OF('d')} INTO kinds FROM dora_deployments d WHERE d.tenant_id = p_tenant_id AND d.id = p_id;
        -- In key order, as dora_add_deployment_counts writes them (one or two rows: no need of its grouping).
        FOREACH counted_kind IN ARRAY kinds LOOP
          INSERT INTO dora_deployment_counts AS c (tenant_id, environment, day, kind, slot, n)
          VALUES (p_tenant_id, p_environment, (p_deployed_at AT TIME ZONE 'UTC')::date, counted_kind,
                  (abs(hashtext(p_repo_full_name || '/' || p_service)) % 8)::smallint, 1)
          ON CONFLICT (tenant_id, environment, day, kind, slot) DO UPDATE SET n = c.n + 1;
        END LOOP;
      END
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    if (await isCitus(db)) throw new Error('A Citus cluster is not taken back to a single PostgreSQL by a migration: see README "Scaling out"');
    await db.query(`DROP FUNCTION ${DERIVE}(${DERIVE_ARGS})`);
    await db.query(`ALTER FUNCTION dora_derive_series(${DERIVE_ARGS}) RENAME TO ${DERIVE}`);
    await db.query(`DROP FUNCTION dora_add_deployment_counts`);
    await db.query(`DROP TABLE dora_deployment_counts`);
    await db.query(`ALTER TABLE dora_change_counts DROP CONSTRAINT dora_change_counts_pkey`);
    await db.query(`ALTER TABLE dora_change_counts ADD PRIMARY KEY (tenant_id, environment, day, lead_bucket, slot)`);
    await db.query(`DROP INDEX dora_deployments_failures_idx`);
    await db.query(`ALTER TABLE dora_deployments DROP COLUMN lead_bucket`);
  }
}

const DERIVE = 'dora_derive_deployment';
const DERIVE_ARGS = 'uuid, uuid, text, text, text, timestamptz, boolean, uuid, text[], timestamptz[]';

/**
 * What `dora_deployment_counts.kind` counts. Each deployment has one of: the bucket of its lead time (0 and
 * up: a success with commit data, as `LEAD_BUCKET`), or NEGATIVE, WITHOUT_COMMIT or FAILURE; and a rework
 * is counted once more, as SUCCESSFUL_REWORK or FAILED_REWORK.
 */
export const DEPLOYMENT_KINDS = { NEGATIVE: -1, WITHOUT_COMMIT: -2, FAILURE: -3, SUCCESSFUL_REWORK: -4, FAILED_REWORK: -5 } as const;

/** The kind of a deployment that is not a rework, from its success and lead_bucket (SQL over both). */
export const KIND = (success: string, leadBucket: string) =>
  `(CASE WHEN NOT ${success} THEN ${DEPLOYMENT_KINDS.FAILURE} ELSE coalesce(${leadBucket}, ${DEPLOYMENT_KINDS.WITHOUT_COMMIT}) END)::smallint`;

/** The kind a rework is counted as once more (SQL over its success). */
export const REWORK_KIND = (success: string) => `(CASE WHEN ${success} THEN ${DEPLOYMENT_KINDS.SUCCESSFUL_REWORK} ELSE ${DEPLOYMENT_KINDS.FAILED_REWORK} END)::smallint`;

/** The kinds a row `d` of dora_deployments is counted as, ascending (a smallint[]): one, and for a rework its rework kind before it. */
export const KINDS_OF = (d: string) =>
  `CASE WHEN ${d}.is_rework THEN ARRAY[${REWORK_KIND(`${d}.success`)}, ${KIND(`${d}.success`, `${d}.lead_bucket`)}] ELSE ARRAY[${KIND(`${d}.success`, `${d}.lead_bucket`)}] END`;

/** dora_deployment_counts from dora_deployments (the migration; bulk loads). */
export const DEPLOYMENT_COUNTS = /* sql */ `
  INSERT INTO dora_deployment_counts (tenant_id, environment, day, kind, slot, n)
  SELECT tenant_id, environment, (deployed_at AT TIME ZONE 'UTC')::date, k.kind, ${SLOT}, count(*)
    FROM dora_deployments d CROSS JOIN LATERAL unnest(${KINDS_OF('d')}) AS k (kind)
   GROUP BY 1, 2, 3, 4, 5`;
