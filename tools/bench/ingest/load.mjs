// Unique deployments POSTed through the real API by autocannon: a warm-up, then `duration` seconds at
// `concurrency` connections. Shared by the ingest benchmark and the scale-out one.
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';

export async function postDeployments({ apiUrl, secret, duration, concurrency }) {
  const run = randomUUID().slice(0, 8);
  const body = (n) =>
    JSON.stringify({
      repo_full_name: `bench/repo-${n % 50}`,
      environment: 'production',
      deployed_at: new Date(Date.now() - (n % 86_400) * 1000).toISOString(),
      commit_sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      committed_at: new Date(Date.now() - 3_600_000).toISOString(),
      success: n % 20 !== 0,
      is_rework: n % 33 === 0,
      external_ref: `${run}-${n}`,
    });
  let sent = 0;
  const fire = (seconds) =>
    autocannon({
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
  const warmup = await fire(2); // JIT, pool, caches
  const result = await fire(duration);
  return {
    accepted: result['2xx'],
    acceptedWithWarmup: result['2xx'] + warmup['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    perSecond: result['2xx'] / duration,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  };
}
