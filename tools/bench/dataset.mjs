// A realistic deployment history for the benchmarks, loaded through PostgreSQL itself (COPY), and the
// dashboard's reads through the API: shared by the metrics benchmark and the scale-out one.
//
// The history is a pure function of (orgs, asOf): every value, the deployments' ids and the commits'
// shas included, comes from seeded generators, so a second pass over the same orgs regenerates the same
// rows. That is how change sets are loaded (`loadChangeSets`): after the deployments, by regenerating
// them — the metrics benchmark times the reads in between, without change sets and then with them.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { uuidv7 } from 'uuidv7';
import { logNormal, percentile, seededRandom } from './lib.mjs';

const DAY = 86_400_000;
const MINUTE = 60_000;
const RUNS = 20;
/** As `deployment_targets.pinned_team_id` and `dora_changes.pinned_team_id`: no team named by the ingest. */
const NO_PIN = '00000000-0000-0000-0000-000000000000';
/** The most commits a change set lists (the ingest's limit). */
const MAX_CHANGE_SET = 1000;

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
  SELECT DISTINCT tenant_id, repo_full_name, service, coalesce(pinned_team_id, '${NO_PIN}') FROM dora_deployments
  ON CONFLICT DO NOTHING`;

/**
 * Each commit of a (repo, service, environment) once, at the first successful deployment that listed it —
 * earliest (deployed_at, id) — with the commit time that deployment listed (DESIGN §3): what ingest keeps
 * commit by commit, computed here in one statement after the bulk load (the change-sets migration's backfill).
 * Sorted byte-wise: the same groups (equal is equal in any deterministic collation), a cheaper sort.
 */
export const CHANGES = /* sql */ `
  INSERT INTO dora_changes (tenant_id, repo_full_name, service, environment, sha, committed_at, first_deployment_id, first_deployed_at, pinned_team_id)
  SELECT DISTINCT ON (k.tenant_id, d.repo_full_name COLLATE "C", d.service COLLATE "C", d.environment COLLATE "C", k.sha COLLATE "C")
         k.tenant_id, d.repo_full_name, d.service, d.environment, k.sha, k.committed_at, d.id, d.deployed_at, coalesce(d.pinned_team_id, '${NO_PIN}')
    FROM dora_deployment_commits k
    JOIN dora_deployments d ON d.tenant_id = k.tenant_id AND d.id = k.deployment_id
   WHERE d.success
   ORDER BY k.tenant_id, d.repo_full_name COLLATE "C", d.service COLLATE "C", d.environment COLLATE "C", k.sha COLLATE "C", d.deployed_at, d.id`;

export async function createOrg(db, slug) {
  const id = uuidv7();
  await db.query(`INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3)`, [id, slug, slug]);
  return id;
}

/**
 * COPYs each org's history (`{ tenantId, total, repos, seed }`, deployments over the 120 days before
 * `asOf`: Zipf-like activity across repos, ~5 % failures followed by fixes after realistic delays,
 * ~3 % rework, ~90 % with commit data), then sets every failure's restore and the lead-time bucket
 * counts in one pass each (the migrations' SQL). Each deployment's head commit (commit_sha, committed_at) is the newest of its change set (see `history`); with
 * `{ changeSets: true }` the change sets are loaded too (`loadChangeSets`), else dora_deployment_commits
 * and dora_changes stay empty — per-change lead time has no sample (the scale-out benchmark: 10 M rows).
 * With change sets, answers the seconds of their steps.
 */
export async function loadDeployments(db, orgs, asOf, { changeSets = false } = {}) {
  await copy(
    db,
    `COPY dora_deployments (tenant_id, id, repo_full_name, environment, deployed_at, commit_sha, committed_at, success, is_rework, source) FROM STDIN WITH (FORMAT csv)`,
    function* () {
      for (const org of orgs) {
        for (const d of history(org, asOf)) {
          const head = d.head;
          yield `${org.tenantId},${d.id},${d.repo},${d.environment},${iso(d.at)},${head ? sha(org.seed, head.c) : ''},${head ? iso(head.t) : ''},${d.success ? 't' : 'f'},${d.rework ? 't' : 'f'},api`;
        }
      }
    },
  );
  await db.query(RESTORES); // what ingest keeps for each failure, set here in one pass after the bulk load
  await db.query(TARGETS);
  const { DEPLOYMENT_COUNTS } = await import('../../apps/api/dist/database/migrations/1795830000000-deployment-counts.js');
  await db.query(DEPLOYMENT_COUNTS);
  await db.query('VACUUM ANALYZE dora_deployments, dora_deployment_counts');
  if (changeSets) return loadChangeSets(db, orgs, asOf);
}

/**
 * The change sets of the deployments `loadDeployments` loaded for the same `orgs` and `asOf` (regenerated,
 * not read back): COPYs every listed commit into dora_deployment_commits, streamed (~5 per deployment),
 * then computes dora_changes in one statement (`CHANGES`), each deployment's count of first-shipped changes
 * and the lead-time bucket counts (the migration's SQL), and analyzes them. Answers the seconds of each step.
 */
export async function loadChangeSets(db, orgs, asOf) {
  const seconds = (since) => Number(((performance.now() - since) / 1000).toFixed(1));
  const timings = {};
  let started = performance.now();
  await withoutIndexesAndKeys(db, 'dora_deployment_commits', () =>
    copy(db, `COPY dora_deployment_commits (tenant_id, deployment_id, sha, committed_at) FROM STDIN WITH (FORMAT csv)`, function* () {
      for (const org of orgs) {
        for (const d of history(org, asOf)) {
          for (const segment of d.commits ?? []) {
            for (const { c, t } of commitsOf(segment, org.seed)) yield `${org.tenantId},${d.id},${sha(org.seed, c)},${iso(t)}`;
          }
        }
      }
    }),
  );
  timings.copy_s = seconds(started);
  started = performance.now();
  // One sort of every listed commit of the successes, in memory where it fits.
  await db.query(`SET work_mem = '512MB'`);
  // The service's own SQL for what ingest keeps beside each change (built by the benchmark before it loads).
  const counts = await import('../../apps/api/dist/database/migrations/1795790000000-change-counts.js');
  await withoutIndexesAndKeys(db, 'dora_changes', () => db.query(CHANGES));
  timings.changes_s = seconds(started);
  started = performance.now();
  await db.query(counts.FIRST_SHIPPED);
  await db.query(counts.CHANGE_COUNTS);
  await db.query(`RESET work_mem`);
  timings.counts_s = seconds(started);
  started = performance.now();
  await db.query('VACUUM ANALYZE dora_deployment_commits, dora_changes, dora_change_counts, dora_deployments');
  timings.vacuum_analyze_s = seconds(started);
  return timings;
}

/**
 * Runs `load` with `table` stripped of its foreign keys and of its indexes but the primary key, then puts
 * them back as they were: PostgreSQL's advice for a bulk load ("Populating a Database") — one sort per
 * index and one query per key instead of a probe per row. The indexes come back freshly built (compact).
 */
async function withoutIndexesAndKeys(db, table, load) {
  const indexes = (
    await db.query(`SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition FROM pg_index WHERE indrelid = $1::regclass AND NOT indisprimary`, [table])
  ).rows;
  const keys = (await db.query(`SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'`, [table])).rows;
  for (const { name } of keys) await db.query(`ALTER TABLE ${table} DROP CONSTRAINT ${name}`);
  for (const { name } of indexes) await db.query(`DROP INDEX ${name}`);
  await load();
  await db.query(`SET maintenance_work_mem = '256MB'`);
  for (const { definition } of indexes) await db.query(definition);
  await db.query(`RESET maintenance_work_mem`);
  for (const { name, definition } of keys) await db.query(`ALTER TABLE ${table} ADD CONSTRAINT ${name} ${definition}`);
}

/** Streams the lines into the COPY in batches of 5,000: bounded memory whatever the number of rows. */
async function copy(db, statement, lines) {
  async function* csv() {
    let batch = [];
    for (const line of lines()) {
      batch.push(line);
      if (batch.length === 5000) {
        yield `${batch.join('\n')}\n`;
        batch = [];
      }
    }
    if (batch.length) yield `${batch.join('\n')}\n`;
  }
  await pipeline(Readable.from(csv()), db.query(copyFrom(statement)));
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

/**
 * One org's deployments, in generation order (not time order), each with its id, its change set — a list
 * of segments, runs of consecutive commits (`commitsOf`) — and its head commit `{ c, t }` (the newest).
 * The deployments themselves (repo, environment, time, outcome, rework) are drawn as they always were,
 * from `rng`; the change sets from a second generator, so they do not move the deployments. A deployment
 * with commit data (~90 %) ships:
 * - after a failure of its repo and environment, the fix: the failure's set again (listed twice, counted
 *   once: the failure shipped nothing) and 1–2 commits made between the failure and the fix, the newest;
 * - else, in production, half the time what the repo's last staging deployment shipped, if it was earlier
 *   and not yet promoted (the same commits count in each environment);
 * - else 2 % of the time a redeploy: the head commit of the repo's and environment's previous deployment,
 *   if earlier;
 * - else new commits: log-normal number (median 3, mean ~5.5: many 1–3, some 20+, at most 996), the head
 *   `lead` before the deployment as before (~1 % after it: clock skew, and then its whole set is after
 *   it), the others further back by log-normal gaps (median 20 min).
 */
function* history({ total, repos, seed }, asOf) {
  const rng = seededRandom(seed);
  const sets = seededRandom(seed ^ 0x5bd1e995);
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
  let n = 0; // deployments so far: the ids
  let nextCommit = 0; // commits so far: the shas
  const previous = new Map(); // repo and environment → the last deployment with commit data, in generation order
  const staged = new Map(); // repo → its last staging deployment not yet promoted to production
  const headOf = (commits) => {
    const newest = commits.reduce((a, b) => (b.head > a.head ? b : a));
    return { c: newest.first + newest.count - 1, t: newest.head };
  };
  const deployment = (repo, environment, at, success, rework, failure) => {
    const hasCommits = rng() < 0.9;
    const lead = rng() < 0.01 ? -rng() * 600_000 : logNormal(rng, 4 * 3_600_000, 1.5);
    const d = { id: deploymentId(asOf, seed, n++), repo, environment, at, success, rework, commits: null, head: null };
    if (!hasCommits) return d;
    const key = `${environment}:${repo}`;
    const last = previous.get(key);
    const stage = staged.get(repo);
    if (failure) {
      const after = Math.max(failure.at, failure.head?.t ?? -Infinity);
      const fix = { first: nextCommit, count: sets() < 0.3 ? 2 : 1, head: after < at ? after + sets() * (at - after) : after + 1000, at };
      nextCommit += fix.count;
      d.commits = [...(failure.commits ?? []), fix];
    } else if (environment === 'production' && stage && stage.at < at && sets() < 0.5) {
      d.commits = stage.commits;
      staged.delete(repo);
    } else if (last && last.at < at && sets() < 0.02) {
      d.commits = [{ first: last.head.c, count: 1, head: last.head.t, at: last.at }];
    } else {
      // At most 4 fewer: a fix adds up to 2 to its failure's set, and a staging fix promoted, failed and fixed again 2 more.
      const count = Math.min(MAX_CHANGE_SET - 4, Math.max(1, Math.round(logNormal(sets, 3, 1.1))));
      d.commits = [{ first: nextCommit, count, head: at - lead, at }];
      nextCommit += count;
    }
    d.head = headOf(d.commits);
    previous.set(key, d);
    if (environment === 'staging') staged.set(repo, d);
    return d;
  };
  let written = 0;
  while (written < total) {
    const repo = pickRepo();
    const environment = rng() < 0.95 ? 'production' : 'staging';
    const at = asOf - rng() * 120 * DAY;
    const failed = rng() < 0.05;
    const d = deployment(repo, environment, at, !failed, rng() < 0.03, null);
    yield d;
    written++;
    const fixedAt = at + logNormal(rng, 45 * MINUTE, 1.4);
    if (failed && fixedAt < asOf && written < total) {
      yield deployment(repo, environment, fixedAt, true, false, d);
      written++;
    }
  }
}

/**
 * The commits of a segment, newest (its head) first: `{ c, t }`, `c` the commit's number in its org (its
 * sha), `t` its time. Drawn from the segment's own generator, so every deployment listing it lists the
 * same times. A head after its deployment (`at`) puts the whole segment between the two.
 */
function* commitsOf({ first, count, head, at }, seed) {
  const gaps = seededRandom(mix(seed, first));
  let t = head;
  for (let i = 0; i < count; i++) {
    if (i > 0) t = head > at ? at + (t - at) * (0.5 + 0.5 * gaps()) : t - logNormal(gaps, 20 * MINUTE, 1.2);
    yield { c: first + count - 1 - i, t };
  }
}

/** A v7-shaped id, the same in every pass: `asOf` as its time, then the org's seed and the deployment's number. */
function deploymentId(asOf, seed, n) {
  const time = Math.floor(asOf).toString(16).padStart(12, '0');
  const org = (seed & 0xffffff).toString(16).padStart(6, '0');
  return `${time.slice(0, 8)}-${time.slice(8)}-7${org.slice(0, 3)}-8${org.slice(3)}-${n.toString(16).padStart(12, '0')}`;
}

/**
 * Commit `c`'s 40-hex sha in the org of `seed`: five 32-bit words, the first a bijection of `c` (no two
 * commits of an org share a sha), each next one a hash of the one before. No `seededRandom` here: a
 * generator per sha made the change sets' COPY wait on this process.
 */
function sha(seed, c) {
  let word = mix(seed, c);
  let hex = hex8(word);
  for (let i = 0; i < 4; i++) hex += hex8((word = fmix32(word + 0x6d2b79f5)));
  return hex;
}

const mix = (seed, n) => fmix32(Math.imul(seed, 0x9e3779b1) ^ n);
/** MurmurHash3's finalizer: a bijection on 32-bit integers. */
function fmix32(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex8 = (x) => HEX2[x >>> 24] + HEX2[(x >>> 16) & 255] + HEX2[(x >>> 8) & 255] + HEX2[x & 255];

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DATES = new Map();
/** `new Date(ms).toISOString()` for times after 1970, about 7 times faster (millions of them per load). */
function iso(ms) {
  const whole = Math.floor(ms);
  const day = Math.floor(whole / DAY);
  let date = DATES.get(day);
  if (date === undefined) DATES.set(day, (date = new Date(day * DAY).toISOString().slice(0, 11)));
  let rest = whole - day * DAY;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / MINUTE);
  rest -= minutes * MINUTE;
  const seconds = Math.floor(rest / 1000);
  return `${date}${PAD2[hours]}:${PAD2[minutes]}:${PAD2[seconds]}.${PAD3[rest - seconds * 1000]}Z`;
}
