// Ingest throughput: unique deployments POSTed through the real API on PostgreSQL for DURATION seconds
// at CONCURRENCY connections, against the floor of the same rows (the series' lock, deployment, the
// restores of a success and the audit event, one transaction each) written directly through pg at the
// same concurrency.
// With BENCH_COMMITS=n, then a second phase printed under `with_commits`: the same for DURATION seconds
// at CONCURRENCY into another org through a freshly started API, each deployment listing n commits
// (≤ 1,000; unique shas, a tenth shared with the repo's previous deployment — ingest/load.mjs): rate of
// deployments and commits, latency p50/p95/p99 (to the microsecond), and the rows of both change-set tables.
//   node tools/bench/ingest/run.mjs        (BENCH_DATABASE_URL, BENCH_DURATION=15, BENCH_CONCURRENCY=32, BENCH_COMMITS=0)
//   BENCH_COMMITS=100 BENCH_CONCURRENCY=8 node tools/bench/ingest/run.mjs      (the change-set target: p99 < 50 ms)
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { cli, createBenchDatabase, percentile, startApi } from '../lib.mjs';
import { postDeployments } from './load.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const COMMITS = Number(process.env.BENCH_COMMITS ?? 0);
if (!Number.isInteger(COMMITS) || COMMITS < 0 || COMMITS > 1000) throw new Error(`BENCH_COMMITS must be 0 to 1000, not ${process.env.BENCH_COMMITS}`);

const database = await createBenchDatabase('ingest');
// The per-token limit would cap one token far below what this measures; it is a guard, not the subject.
const env = { DATABASE_URL: database.url, INGEST_RATE_LIMIT_PER_MINUTE: '0' };
let api;
try {
  api = await startApi(env);
  await cli(['orgs:create', 'bench', '--name', 'Bench'], env);
  const { secret } = await cli(['tokens:create', '--org', 'bench', '--name', 'bench', '--scope', 'findings:write'], env);
  const result = await postDeployments({ apiUrl: api.url, secret, duration: DURATION, concurrency: CONCURRENCY, afterWarmup: () => analyze(database.url) });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const rows = Number((await client.query(`SELECT count(*) FROM dora_deployments`)).rows[0].count);
  const { tenant_id: tenantId, id: tokenId } = (await client.query(`SELECT tenant_id, id FROM api_tokens LIMIT 1`)).rows[0];
  await client.end();
  const { accepted, perSecond: apiRate } = result;
  const peakRss = api.peakRssMiB();
  await api.stop();
  api = undefined;

  // The floor: the same writes with nothing in between but pg and PostgreSQL.
  const floor = await insertDirectly(database.url, tenantId, tokenId, accepted);

  const round = (x, digits = 1) => Number(x.toFixed(digits));
  const withCommits = COMMITS ? await postWithCommits() : undefined;
  console.log(
    JSON.stringify(
      {
        duration_s: DURATION,
        concurrency: CONCURRENCY,
        api: {
          accepted,
          non_2xx: result.non2xx,
          errors: result.errors,
          accepted_with_warmup: result.acceptedWithWarmup,
          rows_in_database: rows,
          deployments_per_s: round(apiRate),
          latency_ms: result.latencyMs,
          peak_rss_mib: round(peakRss),
        },
        floor_direct_pg: {
          rows: floor.rows,
          deployments_per_s: round(floor.rate),
          latency_ms: { p50: round(floor.p50, 2), p99: round(floor.p99, 2) },
        },
        ratio_api_to_floor: round(apiRate / floor.rate, 3),
        ...(withCommits && { with_commits: withCommits }),
      },
      null,
      2,
    ),
  );
} finally {
  await api?.stop();
  await database.drop();
}

/** The second phase: deployments listing COMMITS commits each, into an org of their own, through a fresh API. */
async function postWithCommits() {
  api = await startApi(env);
  await cli(['orgs:create', 'bench-commits', '--name', 'Bench commits'], env);
  const { secret } = await cli(['tokens:create', '--org', 'bench-commits', '--name', 'bench', '--scope', 'findings:write'], env);
  const result = await postDeployments({ apiUrl: api.url, secret, duration: DURATION, concurrency: CONCURRENCY, commits: COMMITS, afterWarmup: () => analyze(database.url) });
  const peakRss = api.peakRssMiB();
  await api.stop();
  api = undefined;
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const tenant = `(SELECT id FROM tenants WHERE slug = 'bench-commits')`;
  const rows = {};
  for (const table of ['dora_deployments', 'dora_deployment_commits', 'dora_changes'])
    rows[table] = Number((await client.query(`SELECT count(*) FROM ${table} WHERE tenant_id = ${tenant}`)).rows[0].count);
  await client.end();
  const round = (x, digits = 1) => Number(x.toFixed(digits));
  return {
    commits_per_deployment: COMMITS,
    duration_s: DURATION,
    concurrency: CONCURRENCY,
    accepted: result.accepted,
    non_2xx: result.non2xx,
    errors: result.errors,
    deployments_per_s: round(result.perSecond),
    commits_per_s: round(result.perSecond * COMMITS),
    latency_ms: result.exactLatencyMs,
    rows_in_database: rows,
    peak_rss_mib: round(peakRss),
  };
}

async function insertDirectly(url, tenantId, tokenId, count) {
  const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY });
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const n = next++;
        const t0 = performance.now();
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const id = uuidv7();
          const repo = `bench/repo-${n % 50}`;
          // What the service's insert does around the row (DESIGN §3): the series' lock, and the restores of a success.
          await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::text || '/production/' || $2, 0))`, [tenantId, repo]);
          await client.query(
            `INSERT INTO dora_deployments (tenant_id, id, repo_full_name, environment, deployed_at, commit_sha, committed_at,
               success, is_rework, external_ref, source, token_id)
             VALUES ($1, $2, $3, 'production', now(), 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', now() - interval '1 hour',
               true, false, $4, 'api', $5)`,
            [tenantId, id, repo, `floor-${n}`, tokenId],
          );
          await client.query(
            `UPDATE dora_deployments SET restored_at = now()
              WHERE tenant_id = $1 AND environment = 'production' AND repo_full_name = $2 AND NOT success AND deployed_at < now()
                AND deployed_at >= coalesce((SELECT max(deployed_at) FROM dora_deployments
                                              WHERE tenant_id = $1 AND environment = 'production' AND repo_full_name = $2
                                                AND success AND deployed_at < now()), '-infinity')
                AND (restored_at IS NULL OR restored_at > now())`,
            [tenantId, repo],
          );
          await client.query(
            `INSERT INTO audit_events (tenant_id, id, action, actor_type, actor_id, subject_type, subject_id, metadata)
             VALUES ($1, $2, 'api.dora.deployments.ingested', 'token', $3, 'deployment', $4, $5)`,
            [tenantId, uuidv7(), tokenId, id, { external_ref: `floor-${n}` }],
          );
          await client.query('COMMIT');
        } finally {
          client.release();
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  latencies.sort((a, b) => a - b);
  return { rows: count, rate: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/**
 * After the warm-up, the statistics autovacuum would have within its first minute: a table filled from
 * empty in the few seconds of a run has none, and without them the planner reads a tenant's changes
 * through the wrong index (a fresh install's first minute, not its steady state).
 */
async function analyze(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('ANALYZE');
  await client.end();
}
