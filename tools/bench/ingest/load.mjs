// Unique deployments POSTed through the real API by autocannon: a warm-up, then `duration` seconds at
// `concurrency` connections. Shared by the ingest benchmark and the scale-out one.
// With `commits` (e.g. 100), each deployment lists that many commits (`changeSets`). The benchmark's floor
// writes the same kind of rows (`deployments`) straight through pg.
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { percentile } from '../lib.mjs';

const REPOS = 50;

export async function postDeployments({ apiUrl, secret, duration, concurrency, commits = 0, afterWarmup = async () => {} }) {
  const deployment = deployments(commits);
  const body = (n) => JSON.stringify(deployment(n));
  let sent = 0;
  let latencies = [];
  const fire = (seconds) => {
    const instance = autocannon({
      url: `${apiUrl}/api/v1/dora/deployments`,
      connections: concurrency,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          setupRequest: (request) => ({ ...request, body: body(sent++) }),
        },
      ],
    });
    // Each 2xx answer's time, to the microsecond (autocannon's own percentiles are whole milliseconds, without p95).
    instance.on('response', (_client, status, _bytes, ms) => status >= 200 && status < 300 && latencies.push(ms));
    return instance;
  };
  const warmup = await fire(2); // JIT, pool, caches
  await afterWarmup();
  latencies = [];
  const result = await fire(duration);
  latencies.sort((a, b) => a - b);
  const exact = (p) => Number(percentile(latencies, p).toFixed(1));
  return {
    accepted: result['2xx'],
    acceptedWithWarmup: result['2xx'] + warmup['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    perSecond: result['2xx'] / duration,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    exactLatencyMs: { p50: exact(50), p95: exact(95), p99: exact(99), max: exact(100) },
  };
}

/** The n-th unique deployment of a run, as the ingest API takes it (with `commits` commits when not 0). */
export function deployments(commits) {
  const run = randomUUID().slice(0, 8);
  const changeSet = changeSets(commits);
  return (n) => ({
    repo_full_name: `bench/repo-${n % REPOS}`,
    environment: 'production',
    deployed_at: new Date(Date.now() - (n % 86_400) * 1000).toISOString(),
    commit_sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    committed_at: new Date(Date.now() - 3_600_000).toISOString(),
    success: n % 20 !== 0,
    is_rework: n % 33 === 0,
    external_ref: `${run}-${n}`,
    ...(commits ? changeSet(n) : {}),
  });
}

/**
 * The n-th deployment's change set of `commits` commits (its head commit first): per repo, a run of its commit
 * history that shares a tenth with the repo's previous deployment. Commit i of a repo: the higher i, the older
 * (deployments are sent with ever earlier deployed_at too), two hours and i × 10 s before the run — always
 * before the deployments that list it. Shas: 40 hex digits, 8 scattered (real shas land all over an index),
 * then the run, the repo and i (unique), then filler.
 */
export function changeSets(commits) {
  const run = randomUUID().slice(0, 8);
  const started = Date.now();
  const commitSha = (repo, i) => `${hex(scatter((repo << 24) ^ i), 8)}${run}${hex(repo, 4)}${hex(i, 8)}${hex(scatter(i), 8)}cafe`;
  const commitTime = (i) => new Date(started - 2 * 3_600_000 - i * 10_000).toISOString();
  const step = commits - Math.ceil(commits / 10);
  return (n) => {
    const repo = n % REPOS;
    const first = Math.floor(n / REPOS) * step; // the newest: the head
    const list = Array.from({ length: commits }, (_, i) => ({ sha: commitSha(repo, first + i), committed_at: commitTime(first + i) }));
    return { commit_sha: list[0].sha, committed_at: list[0].committed_at, commits: list };
  };
}

const hex = (x, digits) => (x >>> 0).toString(16).padStart(digits, '0');

/** MurmurHash3's finalizer: spreads neighbouring integers over the 32-bit range. */
function scatter(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Batches of `lines` unique deployments (`deployments`, with `commits` commits each when not 0) POSTed
 * as NDJSON by `concurrency` clients for `duration` seconds, after one warm-up batch each (then `afterWarmup`): deployments
 * stored per second, and each batch's latency.
 */
export async function postBatches({ apiUrl, secret, duration, concurrency, lines, commits = 0, afterWarmup = async () => {} }) {
  const deployment = deployments(commits);
  let sent = 0;
  const batch = () => Array.from({ length: lines }, () => JSON.stringify(deployment(sent++))).join('\n');
  const post = async (body) => {
    const res = await fetch(`${apiUrl}/api/v1/dora/deployments/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/x-ndjson' },
      body,
    });
    const answer = await res.json();
    if (res.status !== 200 || answer.totals.created !== lines) throw new Error(`a batch was not stored whole: ${res.status} ${JSON.stringify(answer).slice(0, 500)}`);
  };
  await Promise.all(Array.from({ length: concurrency }, () => post(batch())));
  await afterWarmup();
  const latencies = [];
  let stored = 0;
  const started = performance.now();
  const until = started + duration * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const body = batch();
        const t0 = performance.now();
        await post(body);
        latencies.push(performance.now() - t0);
        stored += lines;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const exact = (p) => Number(percentile(latencies, p).toFixed(1));
  return { stored, perSecond: stored / seconds, batchLatencyMs: { p50: exact(50), p95: exact(95), max: exact(100) } };
}
