// A realistic deployment history for the benchmarks, loaded through PostgreSQL itself (COPY), and the
// dashboard's reads through the API: shared by the metrics benchmark and the scale-out one.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { uuidv7 } from 'uuidv7';
import { logNormal, percentile, seededRandom } from './lib.mjs';

const DAY = 86_400_000;
const RUNS = 20;

/**
 * Each failure's restore: the first later success of its repo, service and environment (DESIGN §3), one index
 * probe per failure. (A window over every row looked neater, but `min` over a frame to the partition's
 * end is recomputed row by row: quadratic in a busy repo's deployments, minutes at a million rows.)
 */
export const RESTORES = /* sql */ `
  UPDATE dora_deployments f
     SET restored_at = (SELECT min(s.deployed_at) FROM dora_deployments s
                         WHERE s.tenant_id = f.tenant_id AND s.environment = f.environment
                           AND s.repo_full_name = f.repo_full_name AND s.service = f.service
                           AND s.success AND s.deployed_at > f.deployed_at)
   WHERE NOT f.success`;

/** The targets (repo, service) ingest records as they first appear (DESIGN §3), for rows loaded around it. */
export const TARGETS = /* sql */ `
  INSERT INTO deployment_targets (tenant_id, repo_full_name, service, pinned_team_id)
  SELECT DISTINCT tenant_id, repo_full_name, service, coalesce(pinned_team_id, '00000000-0000-0000-0000-000000000000') FROM dora_deployments
  ON CONFLICT DO NOTHING`;

export async function createOrg(db, slug) {
  const id = uuidv7();
  await db.query(`INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3)`, [id, slug, slug]);
  return id;
}

/**
 * COPYs each org's history (`{ tenantId, total, repos, seed }`, deployments over the 120 days before
 * `asOf`: Zipf-like activity across repos, ~5 % failures followed by fixes after realistic delays,
 * ~3 % rework, ~90 % with commit data), then sets every failure's restore in one pass.
 */
export async function loadDeployments(db, orgs, asOf) {
  const stream = db.query(
    copyFrom(`COPY dora_deployments (tenant_id, id, repo_full_name, environment, deployed_at, commit_sha, committed_at, success, is_rework, source) FROM STDIN WITH (FORMAT csv)`),
  );
  async function* csv() {
    let batch = [];
    for (const org of orgs) {
      for (const row of rows(org, asOf)) {
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
  await db.query(RESTORES); // what ingest keeps for each failure, set here in one pass after the bulk load
  await db.query(TARGETS);
  await db.query('VACUUM ANALYZE dora_deployments');
}

function* rows({ tenantId, total, repos, seed }, asOf) {
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
    const at = asOf - rng() * 120 * DAY;
    const failed = rng() < 0.05;
    yield line(repo, environment, at, !failed, rng() < 0.03);
    written++;
    const fixedAt = at + logNormal(rng, 45 * 60_000, 1.4);
    if (failed && fixedAt < asOf && written < total) {
      yield line(repo, environment, fixedAt, true, false);
      written++;
    }
  }
}

/** The dashboard's reads of one org through the API (a `dora:read` token), as of `asOf`: p50 and p95 of each. */
export async function timeReads(apiUrl, slug, secret, asOf) {
  const read = (path) => async () => {
    const res = await fetch(`${apiUrl}/api/v1/orgs/${slug}/dora/${path}`, { headers: { Authorization: `Bearer ${secret}` } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    await res.json();
  };
  const at = new Date(asOf).toISOString();
  return {
    summary_90d_ms: await timed(read(`summary?window=90&as_of=${at}`)),
    series_30d_ms: await timed(read(`series?as_of=${at}`)),
    repos_first_page_ms: await timed(read(`repos?window=90&as_of=${at}`)),
    deployments_first_page_ms: await timed(read(`deployments?to=${at}`)),
  };
}

/** Three warm-up calls, then RUNS timed ones: p50 and p95 in milliseconds. */
export async function timed(call) {
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

export function round(x, digits = 1) {
  return Number(x.toFixed(digits));
}
