import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isCitus } from '../citus.js';

const CURRENT_TENANT = `nullif(current_setting('dora.tenant_id', true), '')::uuid`;

/**
 * Per-change lead time without sorting millions of commits (DESIGN §4, "How per-change lead time is
 * read"): each change's lead time falls in a logarithmic bucket (`lead_bucket`: -1 for a negative one);
 * `dora_change_counts` counts the changes of each bucket per UTC day of their first deployment (and, as
 * bucket -2, the deployments that first shipped a change that day), spread over a few slots so that
 * concurrent ingests rarely wait for each other; `dora_deployments.first_shipped` counts each deployment's
 * first-shipped changes. A percentile then reads the counts and sorts one bucket's changes only.
 */
export class ChangeCounts1795790000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    if (await isCitus(db)) await db.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
    // Generated from the same expression as lead_time_seconds (a generated column cannot name another).
    await db.query(
      `ALTER TABLE dora_changes ADD COLUMN lead_bucket smallint NOT NULL GENERATED ALWAYS AS (${LEAD_BUCKET('extract(epoch FROM first_deployed_at - committed_at)::double precision')}) STORED`,
    );
    await db.query(/* sql */ `
      CREATE INDEX dora_changes_bucket_idx ON dora_changes (tenant_id, environment, lead_bucket, first_deployed_at)
        INCLUDE (lead_time_seconds)`);
    // The partial days at a window's ends are counted by bucket from the changes themselves: index-only.
    await db.query(`DROP INDEX dora_changes_window_idx`);
    await db.query(WINDOW_INDEX('lead_time_seconds, first_deployment_id, lead_bucket'));

    await db.query(`ALTER TABLE dora_deployments ADD COLUMN first_shipped integer NOT NULL DEFAULT 0`);
    await db.query(FIRST_SHIPPED);

    await db.query(/* sql */ `
      CREATE TABLE dora_change_counts (
        tenant_id   uuid NOT NULL REFERENCES tenants (id),
        environment text NOT NULL,
        day         date NOT NULL,
        lead_bucket smallint NOT NULL,
        slot        smallint NOT NULL,
        n           integer NOT NULL,
        PRIMARY KEY (tenant_id, environment, day, lead_bucket, slot)
      )`);
    await db.query(CHANGE_COUNTS);
    await db.query(`ALTER TABLE dora_change_counts ENABLE ROW LEVEL SECURITY`);
    await db.query(`ALTER TABLE dora_change_counts FORCE ROW LEVEL SECURITY`);
    await db.query(
      `CREATE POLICY dora_change_counts_tenant_isolation ON dora_change_counts USING (tenant_id = ${CURRENT_TENANT}) WITH CHECK (tenant_id = ${CURRENT_TENANT})`,
    );
    await db.query(`GRANT SELECT, INSERT, UPDATE ON dora_change_counts TO dora_app`);
    await db.query(`GRANT UPDATE (first_shipped) ON dora_deployments TO dora_app`);
  }

  async down(db: QueryRunner): Promise<void> {
    if (await isCitus(db)) throw new Error('A Citus cluster is not taken back to a single PostgreSQL by a migration: see README "Scaling out"');
    await db.query(`DROP TABLE dora_change_counts`);
    await db.query(`ALTER TABLE dora_deployments DROP COLUMN first_shipped`);
    await db.query(`ALTER TABLE dora_changes DROP COLUMN lead_bucket`);
    await db.query(WINDOW_INDEX('lead_time_seconds, first_deployment_id'));
  }
}

const WINDOW_INDEX = (included: string) => `CREATE INDEX dora_changes_window_idx ON dora_changes (tenant_id, environment, first_deployed_at) INCLUDE (${included})`;

/** A lead time's bucket: -1 when negative, 0 under a second, else 16 a factor of e (about 6 % wide). */
export const LEAD_BUCKET = (seconds: string) =>
  `(CASE WHEN ${seconds} < 0 THEN -1 WHEN ${seconds} < 1 THEN 0 ELSE 1 + floor(ln(${seconds}) * 16) END)::smallint`;

/** dora_change_counts' `lead_bucket` of the deployments that first shipped a change that day. */
export const DEPLOYMENTS_BUCKET = -2;

/** The counts' slot of a change's series: concurrent ingests of different repos mostly update different rows. */
export const SLOT = `(abs(hashtext(repo_full_name || '/' || service)) % 8)::smallint`;

/** Each deployment's count of first-shipped changes, from dora_changes (the migration; bulk loads). */
export const FIRST_SHIPPED = /* sql */ `
  UPDATE dora_deployments d SET first_shipped = c.n
    FROM (SELECT tenant_id, first_deployment_id, count(*)::int AS n FROM dora_changes GROUP BY 1, 2) c
   WHERE d.tenant_id = c.tenant_id AND d.id = c.first_deployment_id`;

/** dora_change_counts from dora_changes (the migration; bulk loads). */
export const CHANGE_COUNTS = /* sql */ `
  INSERT INTO dora_change_counts (tenant_id, environment, day, lead_bucket, slot, n)
  SELECT tenant_id, environment, (first_deployed_at AT TIME ZONE 'UTC')::date, lead_bucket, ${SLOT}, count(*)
    FROM dora_changes GROUP BY 1, 2, 3, 4, 5
  UNION ALL
  SELECT tenant_id, environment, (first_deployed_at AT TIME ZONE 'UTC')::date, ${DEPLOYMENTS_BUCKET}, ${SLOT}, count(DISTINCT first_deployment_id)
    FROM dora_changes GROUP BY 1, 2, 3, 4, 5`;
