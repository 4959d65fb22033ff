// Ingest throughput: unique deployments POSTed through the real API on PostgreSQL for DURATION seconds
// at CONCURRENCY connections, against the floor: as many deployments of the same kind written directly
// through pg at the same concurrency, in the transaction the service sends for one (the tenant, the
// deployment function, the audit event).
// With BENCH_COMMITS=n, then a second phase printed under `with_commits`: the same for DURATION seconds
// at CONCURRENCY into another org through a freshly started API, each deployment listing n commits
// (≤ 1,000; unique shas, a tenth shared with the repo's previous deployment — ingest/load.mjs): rate of
// deployments and commits, latency p50/p95/p99 (to the microsecond), the rows of both change-set tables,
// and the floor of the same kind of deployments through pg.
//   node tools/bench/ingest/run.mjs        (BENCH_DATABASE_URL, BENCH_DURATION=15, BENCH_CONCURRENCY=32, BENCH_COMMITS=0)
//   BENCH_COMMITS=100 BENCH_CONCURRENCY=8 node tools/bench/ingest/run.mjs      (the change-set target: p99 < 50 ms)
//   BENCH_START_PATHS=1 node tools/bench/ingest/run.mjs      (also: the same ingest through `npm start` and through docker/start.sh)
// Then, under `batch`: BENCH_BATCH_LINES-line (1,000) NDJSON batches at BENCH_BATCH_CONCURRENCY (4) for DURATION
// seconds, their rate against the single POSTs' and against a plain COPY of the rows they left.
// Each phase says where its CPU went (`cpu_ms_per_deployment`, from /proc): the API process, all PostgreSQL
// processes (when the server runs on this machine), and this process — the load generator, or the floor's client.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { uuidv7 } from 'uuidv7';
import { cli, cpuMeter, createBenchDatabase, percentile, startApi } from '../lib.mjs';
import { deployments, postBatches, postDeployments } from './load.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const COMMITS = Number(process.env.BENCH_COMMITS ?? 0);
const START_PATHS = process.env.BENCH_START_PATHS === '1';
const BATCH_LINES = Number(process.env.BENCH_BATCH_LINES ?? 1000);
const BATCH_CONCURRENCY = Number(process.env.BENCH_BATCH_CONCURRENCY ?? 4);
if (!Number.isInteger(COMMITS) || COMMITS < 0 || COMMITS > 1000) throw new Error(`BENCH_COMMITS must be 0 to 1000, not ${process.env.BENCH_COMMITS}`);

const database = await createBenchDatabase('ingest');
// The per-token limit would cap one token far below what this measures; it is a guard, not the subject.
const env = { DATABASE_URL: database.url, INGEST_RATE_LIMIT_PER_MINUTE: '0' };
let api;
try {
  api = await startApi(env);
  await cli(['orgs:create', 'bench', '--name', 'Bench'], env);
  const { secret } = await cli(['tokens:create', '--org', 'bench', '--name', 'bench', '--scope', 'findings:write'], env);
  const cpu = cpuMeter(api.pid);
  const result = await postDeployments({ apiUrl: api.url, secret, duration: DURATION, concurrency: CONCURRENCY, afterWarmup: () => analyze(database.url).then(cpu.start) });
  const apiCpu = cpu.perDeployment(result.accepted);
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
  const batches = await postInBatches(apiRate);
  const withCommits = COMMITS ? await postWithCommits() : undefined;
  const startPaths = START_PATHS ? await compareStartPaths() : undefined;
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
          cpu_ms_per_deployment: apiCpu,
        },
        floor_direct_pg: {
          rows: floor.rows,
          deployments_per_s: round(floor.rate),
          latency_ms: { p50: round(floor.p50, 2), p99: round(floor.p99, 2) },
          cpu_ms_per_deployment: floor.cpu,
        },
        ratio_api_to_floor: round(apiRate / floor.rate, 3),
        batch: batches,
        ...(withCommits && { with_commits: withCommits }),
        ...(startPaths && { start_paths: startPaths }),
      },
      null,
      2,
    ),
  );
} finally {
  await api?.stop();
  await database.drop();
}

/**
 * History in bulk: BATCH_LINES-line NDJSON batches of deployments like the single POSTs' at
 * BATCH_CONCURRENCY for DURATION seconds into an org of their own; against the single-POST rate of this
 * run, and against the floor: a plain COPY of the rows the batches left (deployments with their derived
 * columns, commits, changes, counts, targets, audit events) into another org, in one transaction.
 */
async function postInBatches(singleRate) {
  api = await startApi(env);
  await cli(['orgs:create', 'bench-batch', '--name', 'Bench batch'], env);
  await cli(['orgs:create', 'bench-copy', '--name', 'Bench copy'], env);
  const { secret } = await cli(['tokens:create', '--org', 'bench-batch', '--name', 'bench', '--scope', 'findings:write'], env);
  const cpu = cpuMeter(api.pid);
  const result = await postBatches({
    apiUrl: api.url,
    secret,
    duration: DURATION,
    concurrency: BATCH_CONCURRENCY,
    lines: BATCH_LINES,
    afterWarmup: () => analyze(database.url).then(cpu.start),
  });
  const batchCpu = cpu.perDeployment(result.stored);
  await api.stop();
  api = undefined;
  const copy = await copyFloor(database.url, 'bench-batch', 'bench-copy');
  return {
    lines_per_batch: BATCH_LINES,
    concurrency: BATCH_CONCURRENCY,
    deployments_per_s: Number(result.perSecond.toFixed(1)),
    batch_latency_ms: result.batchLatencyMs,
    cpu_ms_per_deployment: batchCpu,
    ratio_to_single_post: Number((result.perSecond / singleRate).toFixed(2)),
    floor_copy: copy,
    ratio_to_copy: Number((result.perSecond / copy.deployments_per_s).toFixed(3)),
  };
}

/** COPYs every row of one org into another (its tenant_id replaced), timing the COPYs only. */
async function copyFloor(url, fromSlug, toSlug) {
  const TABLES = ['dora_deployments', 'dora_deployment_commits', 'dora_changes', 'dora_change_counts', 'dora_deployment_counts', 'deployment_targets', 'audit_events'];
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tenant = async (slug) => (await client.query(`SELECT id FROM tenants WHERE slug = $1`, [slug])).rows[0].id;
    const [from, to] = [await tenant(fromSlug), await tenant(toSlug)];
    const dumps = [];
    for (const table of TABLES) {
      const columns = (
        await client.query(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
          [table],
        )
      ).rows.map((row) => row.column_name);
      // The other org's token is not this one's: the copies name none.
      const select = columns.map((c) => (c === 'tenant_id' ? `'${to}'::uuid` : c === 'token_id' ? 'NULL::uuid' : c)).join(', ');
      const chunks = [];
      const collect = new Writable({ write: (chunk, _encoding, done) => (chunks.push(chunk), done()) });
      await pipeline(client.query(copyTo(`COPY (SELECT ${select} FROM ${table} WHERE tenant_id = '${from}') TO STDOUT`)), collect);
      dumps.push({ table, columns, data: Buffer.concat(chunks) });
    }
    const deploymentsCopied = Number((await client.query(`SELECT count(*) FROM dora_deployments WHERE tenant_id = $1`, [from])).rows[0].count);
    const started = performance.now();
    await client.query('BEGIN');
    for (const { table, columns, data } of dumps) await pipeline(Readable.from([data]), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    return { deployments: deploymentsCopied, seconds: Number(seconds.toFixed(2)), deployments_per_s: Number((deploymentsCopied / seconds).toFixed(1)) };
  } finally {
    await client.end();
  }
}

/**
 * The README's `npm start` against the image's `docker/start.sh`: the same ingest, each into an org of its
 * own through a server started that way (its log lines read by this process as a terminal would).
 */
async function compareStartPaths() {
  const rates = {};
  for (const [name, command] of [['image', ['sh', 'docker/start.sh']], ['npm_start', ['npm', 'start']]]) {
    api = await startApi(env, { command });
    await cli(['orgs:create', `bench-${name.replace('_', '-')}`, '--name', name], env);
    const { secret } = await cli(['tokens:create', '--org', `bench-${name.replace('_', '-')}`, '--name', 'bench', '--scope', 'findings:write'], env);
    const result = await postDeployments({ apiUrl: api.url, secret, duration: DURATION, concurrency: CONCURRENCY });
    await api.stop();
    api = undefined;
    rates[name] = { deployments_per_s: Number(result.perSecond.toFixed(1)), latency_ms: result.exactLatencyMs, non_2xx: result.non2xx };
  }
  return { ...rates, ratio_npm_start_to_image: Number((rates.npm_start.deployments_per_s / rates.image.deployments_per_s).toFixed(3)) };
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
  const { tenant_id: tenantId, id: tokenId } = (
    await client.query(`SELECT tenant_id, id FROM api_tokens WHERE tenant_id = (SELECT id FROM tenants WHERE slug = 'bench-commits')`)
  ).rows[0];
  const floor = await insertDirectly(database.url, tenantId, tokenId, result.accepted, COMMITS);
  const tenant = `'${tenantId}'`;
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
    floor_direct_pg: { deployments_per_s: round(floor.rate), latency_ms: floor.latencyMs },
    ratio_api_to_floor: round(result.perSecond / floor.rate, 3),
  };
}

/**
 * The floor: `count` deployments like the API's (`deployments`, with COMMITS commits each when given), each
 * in the transaction the service sends for one (DESIGN §3, "Writing a deployment") — the tenant, the
 * deployment with its target, restores and change set, its audit event — and nothing between pg and PostgreSQL.
 */
async function insertDirectly(url, tenantId, tokenId, count, commits = 0) {
  const deployment = deployments(commits);
  const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY });
  const latencies = [];
  let next = 0;
  const cpu = cpuMeter();
  cpu.start();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const n = next++;
        const d = deployment(n);
        const changeSet = d.commits ?? [{ sha: d.commit_sha, committed_at: d.committed_at }];
        const t0 = performance.now();
        const client = await pool.connect();
        try {
          await client.query(`BEGIN; SET LOCAL ROLE dora_app; SET LOCAL dora.tenant_id = '${tenantId}'`);
          const id = uuidv7();
          const [{ outcome }] = (
            await client.query(`SELECT dora_ingest_deployment($1, $2, $3, $4, '', $5, $6, $7, $8, $9, $10, 'api', $11, NULL, $12, $13) AS outcome`, [
              tenantId,
              id,
              d.repo_full_name,
              d.environment,
              d.deployed_at,
              d.commit_sha,
              d.committed_at,
              d.success,
              d.is_rework,
              d.external_ref,
              tokenId,
              changeSet.map((commit) => commit.sha),
              changeSet.map((commit) => commit.committed_at),
            ])
          ).rows;
          if (outcome !== 'created') throw new Error(`The floor's deployment ${n} was ${outcome}, not created`);
          await client.query(
            `INSERT INTO audit_events (tenant_id, id, action, actor_type, actor_id, subject_type, subject_id, metadata)
             VALUES ($1, $2, 'api.dora.deployments.ingested', 'token', $3, 'deployment', $4, $5)`,
            [tenantId, uuidv7(), tokenId, id, { ...d, commits: changeSet.length }],
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
  const perDeployment = cpu.perDeployment(count);
  await pool.end();
  latencies.sort((a, b) => a - b);
  const exact = (p) => Number(percentile(latencies, p).toFixed(1));
  return { rows: count, rate: count / seconds, cpu: perDeployment, p50: percentile(latencies, 50), p99: percentile(latencies, 99), latencyMs: { p50: exact(50), p95: exact(95), p99: exact(99), max: exact(100) } };
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
