import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The two steps of a batch's derivation (DESIGN §3, "Writing a batch") that must run in the database's
 * own order, so that writers of many series and of one never wait for each other in a cycle:
 *
 * `dora_lock_series` takes the lock of each series (tenant, environment, repo, service) a batch touches,
 * in the order of the lock keys — the single ingest takes one of the same locks.
 *
 * `dora_add_change_counts` adds (environment, day, bucket, repo, service, ±n) to the counts per-change
 * lead time reads, summed per row and written in the table's key order; row by row, for Citus (an
 * `INSERT … SELECT` from arrays is a COPY there, which row-level security refuses).
 */
export class BatchIngest1795810000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(/* sql */ `
      CREATE FUNCTION dora_lock_series(p_tenant_id uuid, p_environments text[], p_repos text[], p_services text[])
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        key bigint;
      BEGIN
        FOR key IN
          SELECT DISTINCT hashtextextended(p_tenant_id::text || '/' || s.environment || '/' || s.repo || '/' || s.service, 0)
            FROM unnest(p_environments, p_repos, p_services) AS s (environment, repo, service) ORDER BY 1
        LOOP
          PERFORM pg_advisory_xact_lock(key);
        END LOOP;
      END
      $$`);

    await db.query(/* sql */ `
      CREATE FUNCTION dora_add_change_counts(
        p_tenant_id uuid, p_environments text[], p_days date[], p_buckets smallint[], p_repos text[], p_services text[], p_deltas integer[]
      ) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        counted record;
      BEGIN
        FOR counted IN
          SELECT k.environment, k.day, k.bucket, (abs(hashtext(k.repo || '/' || k.service)) % 8)::smallint AS slot, sum(k.delta)::int AS n
            FROM unnest(p_environments, p_days, p_buckets, p_repos, p_services, p_deltas) AS k (environment, day, bucket, repo, service, delta)
           GROUP BY 1, 2, 3, 4 HAVING sum(k.delta) <> 0 ORDER BY 1, 2, 3, 4
        LOOP
          INSERT INTO dora_change_counts AS c (tenant_id, environment, day, lead_bucket, slot, n)
          VALUES (p_tenant_id, counted.environment, counted.day, counted.bucket, counted.slot, counted.n)
          ON CONFLICT (tenant_id, environment, day, lead_bucket, slot) DO UPDATE SET n = c.n + EXCLUDED.n;
        END LOOP;
      END
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION dora_lock_series, dora_add_change_counts`);
  }
}
