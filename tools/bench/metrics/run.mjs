// Dashboard reads on a big org: COPY 1,000,000 deployments over 120 days across 2,000 repos (Zipf-like
// activity, ~5 % failures followed by fixes after realistic delays, ~3 % rework, ~90 % with commit data)
// plus 50 small orgs of 2,000, into real PostgreSQL; then time summary (90 days), series, repo breakdown
// and deployment list through the API (warm, 20 runs each), against the floor: an index-only count(*)
// of the big org's 90-day window. Also EXPLAINs the service's own SQL and reports any sequential scan.
//   node tools/bench/metrics/run.mjs     (BENCH_DATABASE_URL; BENCH_BIG=1000000 to scale)
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { uuidv7 } from 'uuidv7';
import { buildApi, cli, createBenchDatabase, percentile, ROOT, startApi } from '../lib.mjs';

await buildApi();
// The demo data's generators, so that both make histories the same way.
const { seededRandom, logNormal } = await import(`${ROOT}apps/api/dist/demo/demo-history.js`);

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
  const { BACKFILL_RESTORED_AT } = await import(`${ROOT}apps/api/dist/database/migrations/1795700000000-metrics-derived-columns.js`);
  await db.query(BACKFILL_RESTORED_AT);
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

  figures.service_sql_scans = await explainServiceSql(db, big);
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

/** EXPLAIN of the very SQL the service sends, as the application role with the tenant set. */
async function explainServiceSql(db, tenantId) {
  const { MetricsRepository } = await import(`${ROOT}apps/api/dist/modules/metrics/metrics.repository.js`);
  const repository = new MetricsRepository();
  const plans = {};
  const tx = (name) => ({
    async query(sql, params = []) {
      if (/^\s*SELECT set_config/.test(sql)) return (await db.query(sql, params)).rows;
      plans[name] = scanNodes((await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)).rows[0]['QUERY PLAN']);
      return [];
    },
  });
  await db.query('BEGIN');
  await db.query(`SELECT set_config('role', 'dora_app', true), set_config('dora.tenant_id', $1, true)`, [tenantId]);
  const scope = { tenantId, environment: 'production', repo: null };
  const asOf = new Date(AS_OF);
  await repository.windowAndPrevious(tx('summary'), scope, { previousFrom: new Date(AS_OF - 180 * DAY), from: new Date(AS_OF - 90 * DAY), asOf });
  await repository.daily(tx('series'), scope, { days: 30, asOf, timezone: 'UTC' });
  await repository.perRepo(tx('repos'), scope, { from: new Date(AS_OF - 90 * DAY), asOf, sort: { expression: '0', repoDescending: false }, after: null, limit: 51 });
  await repository.deployments(tx('deployments'), { ...scope, from: null, to: asOf, success: null, isRework: null }, { after: null, limit: 51 });
  await db.query('ROLLBACK');
  return plans;
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
