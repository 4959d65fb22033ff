// Dashboard reads on a big org: COPY 1,000,000 deployments over 120 days across 2,000 repos (Zipf-like
// activity, ~5 % failures followed by fixes after realistic delays, ~3 % rework, ~90 % with commit data)
// plus 50 small orgs of 2,000, into real PostgreSQL; then time summary (90 days), series, repo breakdown
// and deployment list through the API (warm, 20 runs each), against the floor: an index-only count(*)
// of the big org's 90-day window. Only public entry points: the CLI, the built server over HTTP, and
// PostgreSQL itself for the load (COPY, each failure's restore computed by this script's own SQL).
// Then, in the same run, the deployments' change sets (~5 commits per deployment, ~5.5 M listed commits:
// tools/bench/dataset.mjs) are COPYed and dora_changes computed from them by SQL; the same reads again,
// now with per-change lead time over millions of commits (`big_with_change_sets`), the summary's ratio
// to the one without (`change_sets.summary_90d_with_to_without`), checks of its per-change answer
// against SQL over dora_changes (a wrong or empty answer fails the run), the tables' sizes per row and
// the shape of the change sets. Then the big org gets 20 teams and 200 rules: the time to attribute and
// re-attribute it, one team's summary (and its ratio to the org's) and the all-teams breakdown, and
// reads during a re-attribution — all with the change sets. The Trends page's reads (12 monthly points,
// the comparison, the performers over 6 months by repo) are timed before and after the change sets,
// each with its ratio to the 90-day summary of the same phase. And `export`: deployments.csv of the big org's
// 90 days streamed to the end, with the API's resident memory before and at its peak.
//   node tools/bench/metrics/run.mjs     (BENCH_DATABASE_URL; BENCH_BIG=1000000 to scale; BENCH_KEEP=1 keeps the database)
import pg from 'pg';
import { createOrg, loadChangeSets, loadDeployments, round, timed, timeReads } from '../dataset.mjs';
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
  // Dropping the database after a failure ends this connection: the failure is what must be reported.
  db.on('error', () => {});

  const big = await createOrg(db, 'big');
  const small = [];
  for (let i = 0; i < 50; i++) small.push(await createOrg(db, `small-${i}`));

  // The deployments first, without their change sets (loaded below, regenerated from the same orgs and AS_OF).
  const orgs = [{ tenantId: big, total: BIG, repos: 2000, seed: 1 }, ...small.map((tenantId, i) => ({ tenantId, total: 2000, repos: 20, seed: 100 + i }))];
  const started = performance.now();
  await loadDeployments(db, orgs, AS_OF);
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

  if (await count(db, 'dora_changes')) throw new Error('dora_changes is not empty before the change sets are loaded');

  api = await startApi(env);
  const secrets = {};
  for (const [label, slug] of [
    ['big', 'big'],
    ['small', 'small-0'],
  ]) {
    secrets[slug] = (await cli(['tokens:create', '--org', slug, '--name', 'bench', '--scope', 'dora:read'], env)).secret;
    figures[label] = await timeReads(api.url, slug, secrets[slug], AS_OF);
  }
  figures.big_summary_to_floor = {
    p50: round(figures.big.summary_90d_ms.p50 / figures.floor_ms.p50, 2),
    p95: round(figures.big.summary_90d_ms.p95 / figures.floor_ms.p95, 2),
  };
  figures.trends = await trendReads(api.url, secrets.big, figures.big.summary_90d_ms);
  figures.export = await exportDeployments(api, secrets.big, figures.big_org_window_rows);

  // The change sets of the same deployments, then the same reads: per-change lead time over them.
  const changesStarted = performance.now();
  const steps = await loadChangeSets(db, orgs, AS_OF);
  figures.change_sets = { load_s: round((performance.now() - changesStarted) / 1000), load_steps: steps, ...(await changeSetFigures(db)) };
  figures.change_sets.big_90d_per_change = await checkPerChange(db, api.url, big, secrets.big);
  figures.big_with_change_sets = await timeReads(api.url, 'big', secrets.big, AS_OF);
  figures.change_sets.summary_90d_with_to_without = ratio(figures.big_with_change_sets.summary_90d_ms, figures.big.summary_90d_ms);
  figures.change_sets.reads_with_to_without = Object.fromEntries(
    Object.entries(figures.big_with_change_sets).map(([read, times]) => [read, ratio(times, figures.big[read])]),
  );
  figures.trends_with_change_sets = await trendReads(api.url, secrets.big, figures.big_with_change_sets.summary_90d_ms);
  await db.end();

  figures.teams = await teamReads(api.url, env);
  figures.teams.team_summary_to_org_summary = ratio(figures.teams.team_summary_90d_ms, figures.big_with_change_sets.summary_90d_ms);
  console.log(JSON.stringify(figures, null, 2));
} finally {
  await api?.stop();
  await database.drop();
}

/** Time over time, p50 and p95. */
function ratio(a, b) {
  return { p50: round(a.p50 / b.p50, 2), p95: round(a.p95 / b.p95, 2) };
}

async function count(db, table) {
  return Number((await db.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
}

/**
 * What the change sets loaded: rows of both tables and their size per row (table, indexes and TOAST:
 * pg_total_relation_size; the two together per listed commit), the sizes of the lists, and the share of
 * the commits counted in dora_changes whose time is after their first deployment.
 */
async function changeSetFigures(db) {
  const deployments = await count(db, 'dora_deployments');
  const listed = await count(db, 'dora_deployment_commits');
  const changes = await count(db, 'dora_changes');
  const sizes = (await db.query(/* sql */ `
    SELECT count(*)::int AS deployments, avg(n)::float AS mean, percentile_disc(0.5) WITHIN GROUP (ORDER BY n)::int AS median,
           (count(*) FILTER (WHERE n <= 3))::float / count(*) AS share_1_to_3, (count(*) FILTER (WHERE n >= 20))::float / count(*) AS share_20_or_more,
           max(n)::int AS max
      FROM (SELECT count(*) AS n FROM dora_deployment_commits GROUP BY tenant_id, deployment_id) s`)).rows[0];
  const negative = Number((await db.query(`SELECT count(*) FROM dora_changes WHERE lead_time_seconds < 0`)).rows[0].count);
  const storage = {};
  for (const [table, rows] of [
    ['dora_deployment_commits', listed],
    ['dora_changes', changes],
  ]) {
    const { total, heap, indexes } = (
      await db.query(`SELECT pg_total_relation_size($1) AS total, pg_relation_size($1) AS heap, pg_indexes_size($1) AS indexes`, [table])
    ).rows[0];
    storage[table] = {
      mib: round(Number(total) / 2 ** 20),
      bytes_per_row: round(Number(total) / rows),
      heap_bytes_per_row: round(Number(heap) / rows),
      index_bytes_per_row: round(Number(indexes) / rows),
    };
  }
  const both = storage.dora_deployment_commits.bytes_per_row * listed + storage.dora_changes.bytes_per_row * changes;
  storage.both_per_listed_commit_bytes = round(both / listed);
  return {
    deployment_commits_rows: listed,
    changes_rows: changes,
    listed_per_deployment: round(listed / deployments, 2),
    changes_per_listed_commit: round(changes / listed, 3),
    deployments_with_a_list: sizes.deployments,
    list_size: { mean: round(sizes.mean, 2), median: sizes.median, share_1_to_3: round(sizes.share_1_to_3, 3), share_20_or_more: round(sizes.share_20_or_more, 3), max: sizes.max },
    changes_negative_share: round(negative / changes, 4),
    storage,
  };
}

/**
 * The big org's 90-day summary with change sets: its per-change lead time must have a sample, equal
 * what SQL over dora_changes counts and computes for the same window, and be plausible beside the
 * per-deployment one (commits older than the deployment's head make it longer, never shorter in the
 * median by much); anything else fails the run.
 */
async function checkPerChange(db, apiUrl, tenantId, secret) {
  const at = new Date(AS_OF).toISOString();
  const res = await fetch(`${apiUrl}/api/v1/orgs/big/dora/summary?window=90&as_of=${at}`, { headers: { Authorization: `Bearer ${secret}` } });
  if (res.status !== 200) throw new Error(`summary: ${res.status} ${await res.text()}`);
  const { lead_time: leadTime } = await res.json();
  const perChange = leadTime.per_change;
  const expected = (
    await db.query(
      /* sql */ `
      SELECT count(*) FILTER (WHERE lead_time_seconds >= 0)::int AS sample, count(*) FILTER (WHERE lead_time_seconds < 0)::int AS excluded_negative,
             percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY lead_time_seconds) FILTER (WHERE lead_time_seconds >= 0) AS p
        FROM dora_changes WHERE tenant_id = $1 AND environment = 'production' AND first_deployed_at >= $2 AND first_deployed_at < $3`,
      [tenantId, new Date(AS_OF - 90 * DAY), new Date(AS_OF)],
    )
  ).rows[0];
  const problems = [];
  if (!(perChange.sample > 0)) problems.push(`per_change.sample is ${perChange.sample}`);
  if (perChange.sample !== expected.sample) problems.push(`per_change.sample ${perChange.sample}, SQL over dora_changes ${expected.sample}`);
  if (perChange.excluded_negative !== expected.excluded_negative) problems.push(`per_change.excluded_negative ${perChange.excluded_negative}, SQL ${expected.excluded_negative}`);
  if (!(perChange.excluded_negative > 0 && perChange.excluded_negative < 0.03 * perChange.sample)) problems.push(`per_change.excluded_negative ${perChange.excluded_negative} is not ~1 %`);
  for (const [i, key] of ['p50_seconds', 'p95_seconds'].entries()) {
    if (!(Math.abs(perChange[key] - expected.p[i]) <= 1e-6 * expected.p[i])) problems.push(`per_change.${key} ${perChange[key]}, SQL ${expected.p[i]}`);
  }
  // Per deployment the head commit's lead time (median ~4 h); per change every commit's, the older ones longer.
  if (!(perChange.p50_seconds >= 0.5 * leadTime.p50_seconds && perChange.p50_seconds <= 10 * leadTime.p50_seconds && perChange.p50_seconds < 7 * 86_400))
    problems.push(`per_change.p50_seconds ${perChange.p50_seconds} is implausible beside the per-deployment p50 ${leadTime.p50_seconds}`);
  if (!(perChange.p95_seconds >= perChange.p50_seconds)) problems.push(`per_change.p95_seconds ${perChange.p95_seconds} < p50 ${perChange.p50_seconds}`);
  if (!(perChange.deployments_with_changes > 0 && perChange.deployments_with_changes <= leadTime.sample + leadTime.excluded_negative + leadTime.without_commit))
    problems.push(`per_change.deployments_with_changes ${perChange.deployments_with_changes} beside ${leadTime.sample} successes with a lead time`);
  if (problems.length) throw new Error(`the per-change lead time is wrong:\n  ${problems.join('\n  ')}\n${JSON.stringify(leadTime, null, 2)}`);
  return {
    p50_h: round(perChange.p50_seconds / 3600, 2),
    p95_h: round(perChange.p95_seconds / 3600, 2),
    sample: perChange.sample,
    excluded_negative: perChange.excluded_negative,
    deployments_with_changes: perChange.deployments_with_changes,
    per_deployment: { p50_h: round(leadTime.p50_seconds / 3600, 2), p95_h: round(leadTime.p95_seconds / 3600, 2), sample: leadTime.sample },
  };
}

/**
 * The Trends page's reads of the big org (issue "Trends"): 12 monthly points, the comparison, and the
 * performers over 6 months by repo (2,000 repos), each with its ratio to the 90-day summary of the same run.
 */
/**
 * `deployments.csv` of the big org's 90 days, read to the end as a client would: rows, time, bytes and
 * the API's resident memory before and at its highest while it streamed (sampled every 20 ms). Every
 * row of the window must be there.
 */
async function exportDeployments(api, secret, windowRows) {
  const baseline = api.rssMiB();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, api.rssMiB())), 20);
  const started = performance.now();
  const from = new Date(AS_OF - 90 * DAY).toISOString();
  const res = await fetch(`${api.url}/api/v1/orgs/big/dora/deployments.csv?environment=production&from=${from}&to=${new Date(AS_OF).toISOString()}`, {
    headers: { Authorization: `Bearer ${secret}` },
  });
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines++;
  }
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  if (res.status !== 200 || lines - 1 !== windowRows) throw new Error(`the export answered ${res.status} with ${lines - 1} rows, not the window's ${windowRows}`);
  return { rows: lines - 1, seconds: round(seconds), mib: round(bytes / 1048576), rows_per_s: Math.round((lines - 1) / seconds), api_rss_mib: { before: round(baseline), peak: round(peak) } };
}

async function trendReads(apiUrl, secret, summary) {
  const at = new Date(AS_OF).toISOString();
  const read = (path) => async () => {
    const res = await fetch(`${apiUrl}/api/v1/orgs/big/dora/${path}`, { headers: { Authorization: `Bearer ${secret}` } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const performers = await read(`performers?months=6&by=repo&as_of=${at}`)();
  const counted = performers.months.map((month) => month.counted);
  if (!counted.some((n) => n > 1000)) throw new Error(`the performers counted too few repos: ${counted.join(', ')}`);
  const figures = {
    monthly_12_ms: await timed(read(`series?interval=month&periods=12&as_of=${at}`)),
    comparison_ms: await timed(read(`comparison?as_of=${at}`)),
    performers_6_months_by_repo_ms: await timed(read(`performers?months=6&by=repo&as_of=${at}`)),
    repos_counted_per_month: counted,
  };
  for (const key of ['monthly_12_ms', 'comparison_ms', 'performers_6_months_by_repo_ms']) figures[key.replace(/_ms$/, '_to_summary_90d')] = ratio(figures[key], summary);
  return figures;
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
