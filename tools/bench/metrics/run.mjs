// Dashboard reads on a big org: COPY 1,000,000 deployments over 120 days across 2,000 repos (Zipf-like
// activity, ~5 % failures followed by fixes after realistic delays, ~3 % rework, ~90 % with commit data)
// plus 50 small orgs of 2,000, into real PostgreSQL; then time summary (90 days), series, repo breakdown
// and deployment list through the API (warm, 20 runs each), against the floor: an index-only count(*)
// of the big org's 90-day window. Only public entry points: the CLI, the built server over HTTP, and
// PostgreSQL itself for the load (COPY, each failure's restore computed by this script's own SQL).
//   node tools/bench/metrics/run.mjs     (BENCH_DATABASE_URL; BENCH_BIG=1000000 to scale)
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { uuidv7 } from 'uuidv7';
import { buildApi, cli, createBenchDatabase, logNormal, percentile, seededRandom, startApi } from '../lib.mjs';

await buildApi();

/** Each failure's restore: the first later success of its repo and environment (DESIGN §3), in one window pass. */
const RESTORES = /* sql */ `
  UPDATE dora_deployments d SET restored_at = next.restored_at
    FROM (SELECT tenant_id, id, success,
                 min(deployed_at) FILTER (WHERE success) OVER (PARTITION BY tenant_id, environment, repo_full_name ORDER BY deployed_at
                                                            RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE GROUP) AS restored_at
            FROM dora_deployments) next
   WHERE d.tenant_id = next.tenant_id AND d.id = next.id AND NOT next.success AND next.restored_at IS NOT NULL`;

const BIG = Number(process.env.BENCH_BIG ?? 1_000_000);
const RUNS = 20;
const DAY = 86_400_000;
const AS_OF = Date.now();

const database = await createBenchDatabase('metrics');
const env = { DATABASE_URL: database.url };
let api;
const figures = {};
try {
  await cli(['db:migrate'], env);
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();

  const big = await createOrg(db, 'big');
  const small = [];
  for (let i = 0; i < 50; i++) small.push(await createOrg(db, `small-${i}`));

  let started = performance.now();
  await copyDeployments(db, [
    { tenantId: big, total: BIG, repos: 2000, seed: 1 },
    ...small.map((tenantId, i) => ({ tenantId, total: 2000, repos: 20, seed: 100 + i })),
  ]);
  await db.query(RESTORES); // what ingest keeps for each failure, set here in one pass after the bulk load
  await db.query('VACUUM ANALYZE dora_deployments');
  figures.load_s = round((performance.now() - started) / 1000);
  figures.rows = Number((await db.query('SELECT count(*) FROM dora_deployments')).rows[0].count);

  // The floor: the cheapest question about the same 90 days of the big org, an index-only count(*)
  // under the planner settings the service's metric queries use.
  await db.query(`SET random_page_cost = 1.1`);
  const floorSql = `SELECT count(*) FROM dora_deployments WHERE tenant_id = $1 AND environment = 'production' AND deployed_at >= $2 AND deployed_at < $3`;
  const floorParams = [big, new Date(AS_OF - 90 * DAY), new Date(AS_OF)];
  figures.floor_plan = scanNodes((await db.query(`EXPLAIN (FORMAT JSON) ${floorSql}`, floorParams)).rows[0]['QUERY PLAN']);
  figures.floor_ms = await timed(() => db.query(floorSql, floorParams));
  figures.big_org_window_rows = Number((await db.query(floorSql, floorParams)).rows[0].count);

  await db.end();

  api = await startApi(env);
  for (const [label, slug] of [
    ['big', 'big'],
    ['small', 'small-0'],
  ]) {
    const { secret } = await cli(['tokens:create', '--org', slug, '--name', 'bench', '--scope', 'dora:read'], env);
    const read = (path) => async () => {
      const res = await fetch(`${api.url}/api/v1/orgs/${slug}/dora/${path}`, { headers: { Authorization: `Bearer ${secret}` } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      await res.json();
    };
    const asOf = new Date(AS_OF).toISOString();
    figures[label] = {
      summary_90d_ms: await timed(read(`summary?window=90&as_of=${asOf}`)),
      series_30d_ms: await timed(read(`series?as_of=${asOf}`)),
      repos_first_page_ms: await timed(read(`repos?window=90&as_of=${asOf}`)),
      deployments_first_page_ms: await timed(read(`deployments?to=${asOf}`)),
    };
  }
  figures.big_summary_to_floor = {
    p50: round(figures.big.summary_90d_ms.p50 / figures.floor_ms.p50, 2),
    p95: round(figures.big.summary_90d_ms.p95 / figures.floor_ms.p95, 2),
  };
  console.log(JSON.stringify(figures, null, 2));
} finally {
  await api?.stop();
  await database.drop();
}

async function createOrg(db, slug) {
  const id = uuidv7();
  await db.query(`INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3)`, [id, slug, slug]);
  return id;
}

/** Three warm-up calls, then RUNS timed ones: p50 and p95 in milliseconds. */
async function timed(call) {
  for (let i = 0; i < 3; i++) await call();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await call();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
}

function round(x, digits = 1) {
  return Number(x.toFixed(digits));
}

function* rows({ tenantId, total, repos, seed }) {
  const rng = seededRandom(seed);
  const weights = Array.from({ length: repos }, (_, r) => 1 / (r + 1) ** 1.1);
  const cumulative = [];
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const pickRepo = () => {
    const target = rng() * cumulative.at(-1);
    let lo = 0;
    let hi = repos - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return `org-${seed}/repo-${lo}`;
  };
  const line = (repo, environment, at, success, rework) => {
    const commit = rng() < 0.9;
    const lead = rng() < 0.01 ? -rng() * 600_000 : logNormal(rng, 4 * 3_600_000, 1.5);
    return [
      tenantId,
      uuidv7(),
      repo,
      environment,
      new Date(at).toISOString(),
      commit ? 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' : '',
      commit ? new Date(at - lead).toISOString() : '',
      success ? 't' : 'f',
      rework ? 't' : 'f',
      'api',
    ].join(',');
  };
  let written = 0;
  while (written < total) {
    const repo = pickRepo();
    const environment = rng() < 0.95 ? 'production' : 'staging';
    const at = AS_OF - rng() * 120 * DAY;
    const failed = rng() < 0.05;
    yield line(repo, environment, at, !failed, rng() < 0.03);
    written++;
    const fixedAt = at + logNormal(rng, 45 * 60_000, 1.4);
    if (failed && fixedAt < AS_OF && written < total) {
      yield line(repo, environment, fixedAt, true, false);
      written++;
    }
  }
}

async function copyDeployments(db, orgs) {
  await db.query('SET session_replication_role = replica'); // bulk load: restores are backfilled after
  const stream = db.query(
    copyFrom(`COPY dora_deployments (tenant_id, id, repo_full_name, environment, deployed_at, commit_sha, committed_at, success, is_rework, source) FROM STDIN WITH (FORMAT csv)`),
  );
  async function* csv() {
    let batch = [];
    for (const org of orgs) {
      for (const row of rows(org)) {
        batch.push(row);
        if (batch.length === 5000) {
          yield `${batch.join('\n')}\n`;
          batch = [];
        }
      }
    }
    if (batch.length) yield `${batch.join('\n')}\n`;
  }
  await pipeline(Readable.from(csv()), stream);
  await db.query('SET session_replication_role = DEFAULT');
}

/** The scans of a JSON plan, e.g. "Index Only Scan dora_deployments_window_idx". */
function scanNodes(plan) {
  const scans = [];
  const visit = (node) => {
    if (node['Node Type'].includes('Scan')) scans.push(`${node['Node Type']} ${node['Index Name'] ?? node['Relation Name'] ?? ''}`.trim());
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(plan[0].Plan);
  return scans.join(', ');
}
