// Dashboard reads on a big org: COPY 1,000,000 deployments over 120 days across 2,000 repos (Zipf-like
// activity, ~5 % failures followed by fixes after realistic delays, ~3 % rework, ~90 % with commit data)
// plus 50 small orgs of 2,000, into real PostgreSQL; then time summary (90 days), series, repo breakdown
// and deployment list through the API (warm, 20 runs each), against the floor: an index-only count(*)
// of the big org's 90-day window. Only public entry points: the CLI, the built server over HTTP, and
// PostgreSQL itself for the load (COPY, each failure's restore computed by this script's own SQL).
// Then the big org gets 20 teams and 200 rules: the time to attribute and re-attribute it, one team's
// summary (and its ratio to the org's) and the all-teams breakdown, and reads during a re-attribution.
//   node tools/bench/metrics/run.mjs     (BENCH_DATABASE_URL; BENCH_BIG=1000000 to scale)
import pg from 'pg';
import { createOrg, loadDeployments, round, timed, timeReads } from '../dataset.mjs';
import { buildApi, cli, createBenchDatabase, startApi } from '../lib.mjs';

await buildApi();

const BIG = Number(process.env.BENCH_BIG ?? 1_000_000);
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

  const started = performance.now();
  await loadDeployments(
    db,
    [{ tenantId: big, total: BIG, repos: 2000, seed: 1 }, ...small.map((tenantId, i) => ({ tenantId, total: 2000, repos: 20, seed: 100 + i }))],
    AS_OF,
  );
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
    figures[label] = await timeReads(api.url, slug, secret, AS_OF);
  }
  figures.big_summary_to_floor = {
    p50: round(figures.big.summary_90d_ms.p50 / figures.floor_ms.p50, 2),
    p95: round(figures.big.summary_90d_ms.p95 / figures.floor_ms.p95, 2),
  };
  figures.teams = await teamReads(api.url, env);
  figures.teams.team_summary_to_org_summary = {
    p50: round(figures.teams.team_summary_90d_ms.p50 / figures.big.summary_90d_ms.p50, 2),
    p95: round(figures.teams.team_summary_90d_ms.p95 / figures.big.summary_90d_ms.p95, 2),
  };
  console.log(JSON.stringify(figures, null, 2));
} finally {
  await api?.stop();
  await database.drop();
}

/**
 * The big org with 20 teams and 200 ordered rules (prefixes of its repos' names, overlapping: the first
 * match wins), made through the API: the time of the first attribution and of a re-attribution that moves
 * most repos to another team, the summary of one team and the all-teams breakdown; and, while a
 * re-attribution runs, the team's summary answered again and again — each answer must be the old or the
 * new attribution's, never a mix.
 */
async function teamReads(apiUrl, env) {
  const { secret } = await cli(['tokens:create', '--org', 'big', '--name', 'bench-admin', '--scope', 'dora:read', '--scope', 'dora:admin'], env);
  const call = async (method, path, body) => {
    const res = await fetch(`${apiUrl}/api/v1/orgs/big/${path}`, {
      method,
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  };
  for (let i = 0; i < 20; i++) await call('POST', 'teams', { slug: `team-${i}`, name: `Team ${i}` });
  const repoPrefix = (await call('GET', 'dora/repos?window=90&limit=1')).items[0].repo_full_name.replace(/repo-\d+$/, 'repo-');
  // 190 busiest repos by name, then 10 prefixes that take the other 1,810.
  const rules = (shift) =>
    Array.from({ length: 200 }, (_, i) => ({ team: `team-${(i + shift) % 20}`, repo: i < 190 ? `${repoPrefix}${i}` : `${repoPrefix}${i - 190}*` }));
  const replace = async (shift) => {
    const t0 = performance.now();
    await call('PUT', 'teams/rules', { rules: rules(shift) });
    return round(performance.now() - t0);
  };
  const figures = { teams: 20, rules: 200, first_attribution_ms: await replace(0) };
  const at = new Date(AS_OF).toISOString();
  const teamSummary = () => call('GET', `dora/summary?window=90&team=team-0&as_of=${at}`);
  const before = (await teamSummary()).change_failure_rate.total;
  figures.team_summary_90d_ms = await timed(teamSummary);
  figures.teams_breakdown_90d_ms = await timed(() => call('GET', `dora/teams?window=90&as_of=${at}`));

  // Re-attribute (every rule's team moves by one) while reading the team's summary.
  let running = true;
  const seen = [];
  const reading = (async () => {
    while (running) seen.push((await teamSummary()).change_failure_rate.total);
  })();
  figures.reattribution_ms = await replace(1);
  running = false;
  await reading;
  const after = (await teamSummary()).change_failure_rate.total;
  const mixed = seen.filter((total) => total !== before && total !== after);
  if (mixed.length) throw new Error(`a read during the re-attribution saw neither attribution: ${mixed.join(', ')} (before ${before}, after ${after})`);
  figures.reads_during_reattribution = {
    reads: seen.length,
    saw_before: seen.filter((total) => total === before).length,
    saw_after: seen.filter((total) => total === after).length,
    team_0_deployments_before: before,
    team_0_deployments_after: after,
  };
  return figures;
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
