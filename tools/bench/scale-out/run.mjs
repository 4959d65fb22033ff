// The engine's overhead, measured in one run: the same data and the same requests on a plain PostgreSQL
// 15 cluster and on a three-node Citus cluster (coordinator and two workers) on this machine, each made
// for the run with the same settings. BENCH_TOTAL deployments (default 10,000,000) over 100 orgs — one
// big org with a third of them, 99 others sharing the rest — then the dashboard's reads of the big org
// and of a small one, and ingest at BENCH_CONCURRENCY (32) for BENCH_DURATION s (15) into a fresh org.
// On one machine this is the price of Citus's planning and routing, not its scaling (docs/SCALING.md).
// Needs root and Citus installed (tools/citus/install.sh).
//   node tools/bench/scale-out/run.mjs
import pg from 'pg';
import { createCitusCluster } from '../../citus/cluster.mjs';
import { createCluster } from '../../postgres/clusters.mjs';
import { createOrg, loadDeployments, round, timeReads } from '../dataset.mjs';
import { postDeployments } from '../ingest/load.mjs';
import { buildApi, cli, startApi } from '../lib.mjs';

const TOTAL = Number(process.env.BENCH_TOTAL ?? 10_000_000);
const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const AS_OF = Date.now();
// The same server settings on every node; Citus's nodes add the extension.
const SETTINGS = { max_connections: '200', shared_buffers: '256MB' };

/** One big org with a third of the deployments, 99 others of different sizes sharing the rest. */
function orgSizes() {
  const big = Math.round(TOTAL / 3);
  const weights = Array.from({ length: 99 }, (_, i) => 1 / (i + 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  return [{ slug: 'big', total: big, repos: 2000 }, ...weights.map((w, i) => ({ slug: `org-${i}`, total: Math.max(100, Math.round(((TOTAL - big) * w) / sum)), repos: 50 }))];
}

async function measure(label, url) {
  const env = { DATABASE_URL: url, INGEST_RATE_LIMIT_PER_MINUTE: '0' };
  await cli(['db:migrate'], env);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const orgs = [];
  for (const [i, org] of orgSizes().entries()) orgs.push({ ...org, tenantId: await createOrg(db, org.slug), seed: i + 1 });
  const started = performance.now();
  await loadDeployments(db, orgs, AS_OF);
  const loadSeconds = round((performance.now() - started) / 1000);
  const rows = Number((await db.query('SELECT count(*) FROM dora_deployments')).rows[0].count);
  const size = label.startsWith('Citus') ? 'citus_total_relation_size' : 'pg_total_relation_size';
  const bytes = Number((await db.query(`SELECT ${size}('dora_deployments') AS bytes`)).rows[0].bytes);
  await db.end();

  const api = await startApi(env);
  try {
    const reads = {};
    for (const slug of ['big', 'org-50']) {
      const { secret } = await cli(['tokens:create', '--org', slug, '--name', 'bench', '--scope', 'dora:read'], env);
      reads[slug] = await timeReads(api.url, slug, secret, AS_OF);
    }
    await cli(['orgs:create', 'ingest', '--name', 'Ingest'], env);
    const { secret } = await cli(['tokens:create', '--org', 'ingest', '--name', 'bench', '--scope', 'findings:write'], env);
    const ingest = await postDeployments({ apiUrl: api.url, secret, duration: DURATION, concurrency: CONCURRENCY });
    console.error(`${label}: ${rows} rows loaded in ${loadSeconds} s, reads and ingest measured`);
    return { rows, load_s: loadSeconds, bytes_per_deployment: Math.round(bytes / rows), reads, ingest: { deployments_per_s: round(ingest.perSecond), non_2xx: ingest.non2xx, errors: ingest.errors, latency_ms: ingest.latencyMs } };
  } finally {
    await api.stop();
  }
}

/** Citus's time over plain PostgreSQL's for every read (p50 and p95), and plain's ingest rate over Citus's. */
function ratios(plain, citus) {
  const reads = {};
  for (const [slug, figures] of Object.entries(plain.reads)) {
    reads[slug] = Object.fromEntries(
      Object.entries(figures).map(([read, { p50, p95 }]) => [read, { p50: round(citus.reads[slug][read].p50 / p50, 2), p95: round(citus.reads[slug][read].p95 / p95, 2) }]),
    );
  }
  return { reads_citus_over_plain: reads, ingest_plain_over_citus: round(plain.ingest.deployments_per_s / citus.ingest.deployments_per_s, 2) };
}

await buildApi();
const figures = { total: TOTAL, orgs: 100, concurrency: CONCURRENCY, duration_s: DURATION };
const plainCluster = await createCluster({ settings: SETTINGS });
try {
  await plainCluster.query('CREATE DATABASE dora');
  figures.plain = await measure('plain PostgreSQL', plainCluster.url('dora'));
} finally {
  await plainCluster.remove();
}
const citusCluster = await createCitusCluster({ settings: SETTINGS });
try {
  figures.citus = await measure('Citus (coordinator + 2 workers)', citusCluster.url);
} finally {
  await citusCluster.remove();
}
figures.ratios = ratios(figures.plain, figures.citus);
console.log(JSON.stringify(figures, null, 2));
