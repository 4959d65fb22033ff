import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DEPLOYMENTS_BUCKET } from './1795790000000-change-counts.js';

/** As `deployment_targets.pinned_team_id`: no team named by the ingest. */
const NO_PIN = '00000000-0000-0000-0000-000000000000';

/**
 * What a new deployment implies, as two functions that run in the caller's transaction (DESIGN §3,
 * "Writing a deployment"): one statement per ingest instead of a dozen round trips, each with plans
 * PL/pgSQL keeps. Security invoker: they run as `dora_app` under row-level security like any statement,
 * and every statement in them names the tenant (Citus routes each to the tenant's shard).
 *
 * `dora_derive_deployment`: under the series' lock, the restores (each failure's restored_at is the first
 * success of its series strictly later than it), the change set, and — for a success — each commit's
 * first shipping deployment where this one is earlier (ties: the smaller id), with the counts per-change
 * lead time reads. Row by row on purpose: an `INSERT … SELECT` from arrays is a COPY on Citus, which
 * row-level security refuses.
 *
 * `dora_ingest_deployment`: the idempotent insert of an ingested deployment and its target; then the
 * derivation, unless the target is new and unpinned — the application applies the org's rules first
 * (outcome `new_target`) and derives after.
 */
export class IngestFunctions1795800000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(/* sql */ `
      CREATE FUNCTION dora_derive_deployment(
        p_tenant_id uuid, p_id uuid, p_environment text, p_repo_full_name text, p_service text,
        p_deployed_at timestamptz, p_success boolean, p_pinned_team_id uuid, p_shas text[], p_committed_ats timestamptz[]
      ) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        here_day date := (p_deployed_at AT TIME ZONE 'UTC')::date;
        gained integer := 0;
        bucket smallint;
        earlier_id uuid;
        earlier_day date;
        earlier_bucket smallint;
        loser record;
        total integer;
        -- Changes that moved here from an earlier deployment, and the (day, bucket, ±1) counts to keep.
        lost_ids uuid[] := '{}';
        lost_days date[] := '{}';
        count_days date[] := '{}';
        count_buckets smallint[] := '{}';
        count_deltas integer[] := '{}';
        counted record;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended(p_tenant_id::text || '/' || p_environment || '/' || p_repo_full_name || '/' || p_service, 0));

        IF NOT p_success THEN
          UPDATE dora_deployments SET restored_at = later.first
            FROM (SELECT min(s.deployed_at) AS first FROM dora_deployments s
                   WHERE s.tenant_id = p_tenant_id AND s.environment = p_environment AND s.repo_full_name = p_repo_full_name
                     AND s.service = p_service AND s.success AND s.deployed_at > p_deployed_at) later
           WHERE dora_deployments.tenant_id = p_tenant_id AND dora_deployments.id = p_id AND later.first IS NOT NULL;
        ELSE
          UPDATE dora_deployments f SET restored_at = p_deployed_at
           WHERE f.tenant_id = p_tenant_id AND f.environment = p_environment AND f.repo_full_name = p_repo_full_name AND f.service = p_service
             AND NOT f.success AND f.deployed_at < p_deployed_at
             AND f.deployed_at >= coalesce((SELECT max(s.deployed_at) FROM dora_deployments s
                                             WHERE s.tenant_id = p_tenant_id AND s.environment = p_environment AND s.repo_full_name = p_repo_full_name
                                               AND s.service = p_service AND s.success AND s.deployed_at < p_deployed_at), '-infinity')
             AND (f.restored_at IS NULL OR f.restored_at > p_deployed_at);
        END IF;

        FOR i IN 1 .. coalesce(array_length(p_shas, 1), 0) LOOP
          INSERT INTO dora_deployment_commits (tenant_id, deployment_id, sha, committed_at) VALUES (p_tenant_id, p_id, p_shas[i], p_committed_ats[i]);
          CONTINUE WHEN NOT p_success;
          INSERT INTO dora_changes (tenant_id, repo_full_name, service, environment, sha, committed_at, first_deployment_id, first_deployed_at, pinned_team_id)
          VALUES (p_tenant_id, p_repo_full_name, p_service, p_environment, p_shas[i], p_committed_ats[i], p_id, p_deployed_at, coalesce(p_pinned_team_id, '${NO_PIN}'))
          ON CONFLICT (tenant_id, repo_full_name, service, environment, sha) DO NOTHING
          RETURNING lead_bucket INTO bucket;
          IF NOT FOUND THEN
            -- Shipped before in this series: moved here when this deployment is earlier (lead_bucket is generated: the
            -- change gets the bucket of its new lead time), answering where it was. EXECUTE: planned with the values,
            -- which lead to the primary key (a generic plan may take another index of the series and read all of it).
            EXECUTE 'UPDATE dora_changes c SET committed_at = $6, first_deployment_id = $7, first_deployed_at = $8, pinned_team_id = $9
                       FROM dora_changes was
                      WHERE c.tenant_id = $1 AND c.repo_full_name = $2 AND c.service = $3 AND c.environment = $4 AND c.sha = $5
                        AND was.tenant_id = $1 AND was.repo_full_name = $2 AND was.service = $3 AND was.environment = $4 AND was.sha = $5
                        AND ($8, $7) < (was.first_deployed_at, was.first_deployment_id)
                  RETURNING c.lead_bucket, was.first_deployment_id, (was.first_deployed_at AT TIME ZONE ''UTC'')::date, was.lead_bucket'
              INTO bucket, earlier_id, earlier_day, earlier_bucket
              USING p_tenant_id, p_repo_full_name, p_service, p_environment, p_shas[i], p_committed_ats[i], p_id, p_deployed_at,
                    coalesce(p_pinned_team_id, '${NO_PIN}'::uuid);
            CONTINUE WHEN bucket IS NULL;
            lost_ids := lost_ids || earlier_id;
            lost_days := lost_days || earlier_day;
            count_days := count_days || earlier_day;
            count_buckets := count_buckets || earlier_bucket;
            count_deltas := count_deltas || -1;
          END IF;
          gained := gained + 1;
          count_days := count_days || here_day;
          count_buckets := count_buckets || bucket;
          count_deltas := count_deltas || 1;
        END LOOP;

        -- Each deployment's count of first-shipped changes; a count leaving 0 or going back to 0 counts the day's deployments with changes.
        IF gained > 0 THEN
          UPDATE dora_deployments d SET first_shipped = d.first_shipped + gained WHERE d.tenant_id = p_tenant_id AND d.id = p_id
          RETURNING d.first_shipped INTO total;
          IF total = gained THEN
            count_days := count_days || here_day; count_buckets := count_buckets || ${DEPLOYMENTS_BUCKET}::smallint; count_deltas := count_deltas || 1;
          END IF;
        END IF;
        FOR loser IN SELECT l.id, l.day, count(*)::int AS n FROM unnest(lost_ids, lost_days) AS l (id, day) GROUP BY l.id, l.day LOOP
          UPDATE dora_deployments d SET first_shipped = d.first_shipped - loser.n WHERE d.tenant_id = p_tenant_id AND d.id = loser.id
          RETURNING d.first_shipped INTO total;
          IF total = 0 THEN
            count_days := count_days || loser.day; count_buckets := count_buckets || ${DEPLOYMENTS_BUCKET}::smallint; count_deltas := count_deltas || -1;
          END IF;
        END LOOP;

        -- In key order, so that concurrent ingests never wait for each other in a cycle.
        FOR counted IN
          SELECT k.day, k.bucket, sum(k.delta)::int AS n FROM unnest(count_days, count_buckets, count_deltas) AS k (day, bucket, delta)
           GROUP BY k.day, k.bucket HAVING sum(k.delta) <> 0 ORDER BY k.day, k.bucket
        LOOP
          INSERT INTO dora_change_counts AS k (tenant_id, environment, day, lead_bucket, slot, n)
          VALUES (p_tenant_id, p_environment, counted.day, counted.bucket, (abs(hashtext(p_repo_full_name || '/' || p_service)) % 8)::smallint, counted.n)
          ON CONFLICT (tenant_id, environment, day, lead_bucket, slot) DO UPDATE SET n = k.n + EXCLUDED.n;
        END LOOP;
      END
      $$`);

    await db.query(/* sql */ `
      CREATE FUNCTION dora_ingest_deployment(
        p_tenant_id uuid, p_id uuid, p_repo_full_name text, p_environment text, p_service text, p_deployed_at timestamptz,
        p_commit_sha text, p_committed_at timestamptz, p_success boolean, p_is_rework boolean, p_external_ref text,
        p_source text, p_token_id uuid, p_pinned_team_id uuid, p_shas text[], p_committed_ats timestamptz[]
      ) RETURNS text LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dora_deployments
          (tenant_id, id, repo_full_name, environment, deployed_at, commit_sha, committed_at, success, is_rework,
           external_ref, source, token_id, service, pinned_team_id)
        VALUES (p_tenant_id, p_id, p_repo_full_name, p_environment, p_deployed_at, p_commit_sha, p_committed_at, p_success, p_is_rework,
                p_external_ref, p_source, p_token_id, p_service, p_pinned_team_id)
        ON CONFLICT (tenant_id, repo_full_name, environment, external_ref) WHERE external_ref IS NOT NULL DO NOTHING;
        IF NOT FOUND THEN
          RETURN 'deduped';
        END IF;
        INSERT INTO deployment_targets (tenant_id, repo_full_name, service, pinned_team_id)
        VALUES (p_tenant_id, p_repo_full_name, p_service, coalesce(p_pinned_team_id, '${NO_PIN}'))
        ON CONFLICT DO NOTHING;
        IF FOUND AND p_pinned_team_id IS NULL THEN
          RETURN 'new_target';
        END IF;
        PERFORM dora_derive_deployment(p_tenant_id, p_id, p_environment, p_repo_full_name, p_service, p_deployed_at, p_success,
                                       p_pinned_team_id, p_shas, p_committed_ats);
        RETURN 'created';
      END
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION dora_ingest_deployment, dora_derive_deployment`);
  }
}
