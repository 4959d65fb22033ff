// Clients that behave like careful CI jobs: each deployment has a unique external_ref; connection
// errors, 5xx and 429 are retried with the same body (Retry-After honoured, else a growing back-off);
// what the service acknowledged (201, or 200 for a replay) is remembered, and every answer counted.

const REQUEST_TIMEOUT_MS = 30_000;

export function startLoad({ url, token, clients, prefix, environment = 'production' }) {
  const stats = {
    acknowledged: new Map(), // external_ref → status that acknowledged it
    sent: 0,
    statuses: {},
    /** 5xx other than 503: never acceptable. */
    errors500: 0,
    /** The first few of those answers, to say what went wrong. */
    errors500Bodies: [],
    unavailable503: 0,
    without503RetryAfter: 0,
    connectionErrors: 0,
    /** Requests that did not answer within REQUEST_TIMEOUT_MS. */
    hangs: 0,
    /** Acknowledged by a 200 `deduped: true` after an earlier attempt of the same request failed. */
    dedupedRetries: 0,
    slowestMs: 0,
    refused: [], // 4xx other than 429: a bug of the service or of this client
  };
  let stopping = false;
  let givingUp = false;
  let targetUrl = typeof url === 'function' ? url : () => url;

  async function send(body) {
    let retried = false;
    for (let attempt = 0; !givingUp; attempt++) {
      const started = performance.now();
      let response;
      let text;
      try {
        stats.sent++;
        response = await fetch(`${targetUrl()}/api/v1/dora/deployments`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        text = await response.text();
      } catch (error) {
        if (error?.name === 'TimeoutError') stats.hangs++;
        else stats.connectionErrors++;
        retried = true;
        await pause(backoff(attempt));
        continue;
      } finally {
        stats.slowestMs = Math.max(stats.slowestMs, performance.now() - started);
      }
      stats.statuses[response.status] = (stats.statuses[response.status] ?? 0) + 1;
      if (response.status === 201 || response.status === 200) {
        if (response.status === 200 && retried && JSON.parse(text).deduped === true) stats.dedupedRetries++;
        return response.status;
      }
      if (response.status === 429 || response.status >= 500) {
        if (response.status === 503) stats.unavailable503++;
        else if (response.status >= 500) {
          stats.errors500++;
          if (stats.errors500Bodies.length < 3) stats.errors500Bodies.push(`${response.status} ${text.slice(0, 300)}`);
        }
        const retryAfter = Number(response.headers.get('retry-after'));
        if (response.status === 503 && !(retryAfter > 0)) stats.without503RetryAfter++;
        retried = true;
        await pause(retryAfter > 0 ? retryAfter * 1000 : backoff(attempt));
        continue;
      }
      stats.refused.push(`${response.status} ${text.slice(0, 200)}`);
      return undefined;
    }
    return undefined; // given up: not acknowledged
  }

  const workers = Array.from({ length: clients }, async (_, worker) => {
    for (let n = 0; !stopping; n++) {
      const ref = `${prefix}-${worker}-${n}`;
      const body = JSON.stringify({ repo_full_name: `chaos/repo-${worker % 8}`, environment, deployed_at: new Date().toISOString(), success: n % 10 !== 3, external_ref: ref });
      const status = await send(body);
      if (status) stats.acknowledged.set(ref, status);
    }
  });
  return {
    stats,
    /** Where the requests go from now on (a restarted service, the other instance). */
    setUrl(next) {
      targetUrl = typeof next === 'function' ? next : () => next;
    },
    /**
     * Stops starting new deployments and waits until every one in flight is acknowledged (or refused);
     * with `giveUpAfterMs`, what is not acknowledged by then is given up (as a job that times out).
     */
    async stop({ giveUpAfterMs } = {}) {
      stopping = true;
      const timer = giveUpAfterMs === undefined ? undefined : setTimeout(() => (givingUp = true), giveUpAfterMs);
      await Promise.all(workers);
      clearTimeout(timer);
      return stats;
    },
  };
}

function backoff(attempt) {
  return Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);
}

export function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
