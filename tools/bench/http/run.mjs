// The HTTP layer alone, no database: NestJS on Express (what the API uses) against NestJS on Fastify, and the
// floor, raw node:http + JSON.parse (server.mjs). Each server, in a child process of its own, one after
// another, answers POST /api/v1/dora/deployments with 201 after validating the body (the Nest ones through the
// real CreateDeploymentDto and RequestValidationPipe); autocannon POSTs unique valid deployments (each its own
// external_ref) at CONCURRENCY connections, 2 s of warm-up then DURATION seconds. Any answer but a 2xx fails
// the run, and so does a Nest server that lets an invalid body through. Prints, per server, requests/s,
// latency p50/p99, the server's CPU per request (process.cpuUsage() of the child, over the measured seconds)
// and the ratios express/floor, fastify/floor, fastify/express. The load generator runs on the same machine:
// `load_generator_cpu_cores` says how much of it autocannon took.
//   node tools/bench/http/run.mjs                     (BENCH_DURATION=10, BENCH_CONCURRENCY=32)
//   BENCH_COMMITS=100 node tools/bench/http/run.mjs   (each body lists 100 commits, validated by the DTO)
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { buildApi, percentile } from '../lib.mjs';
import { deployments } from '../ingest/load.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const COMMITS = Number(process.env.BENCH_COMMITS ?? 0);
if (!Number.isInteger(COMMITS) || COMMITS < 0 || COMMITS > 1000) throw new Error(`BENCH_COMMITS must be 0 to 1000, not ${process.env.BENCH_COMMITS}`);
const SERVERS = ['raw', 'express', 'fastify'];
const PATH = '/api/v1/dora/deployments';
const round = (x, digits = 2) => Number(x.toFixed(digits));

await buildApi(); // the DTO and the pipe come from apps/api/dist

// 1,000 realistic bodies (ingest/load.mjs), each cut where its external_ref goes: the n-th request is body
// n % 1,000 with external_ref `<run>-<n>`. Cheap for the load generator, which shares the machine.
const deployment = deployments(COMMITS);
const run = Math.random().toString(16).slice(2, 10);
const templates = Array.from({ length: 1000 }, (_, n) => JSON.stringify({ ...deployment(n), external_ref: '@REF@' }).split('"@REF@"'));
const body = (n) => {
  const [before, after] = templates[n % templates.length];
  return `${before}"${run}-${n}"${after}`;
};

const results = {};
for (const kind of SERVERS) results[kind] = await measure(kind);

const ratio = (of, to) => ({
  throughput: round(results[of].requests_per_s / results[to].requests_per_s, 3),
  cpu_per_request: round(results[of].cpu_ms_per_request / results[to].cpu_ms_per_request, 3),
});
console.log(
  JSON.stringify(
    {
      duration_s: DURATION,
      concurrency: CONCURRENCY,
      commits_per_request: COMMITS,
      body_bytes: body(0).length,
      cores: availableParallelism(),
      servers: results,
      ratios: { express_to_floor: ratio('express', 'raw'), fastify_to_floor: ratio('fastify', 'raw'), fastify_to_express: ratio('fastify', 'express') },
    },
    null,
    2,
  ),
);

/** Starts one server, checks it answers as it should, loads it, stops it. */
async function measure(kind) {
  const server = await start(kind);
  try {
    await check(kind, server.url);
    let sent = 0;
    let latencies = [];
    const fire = (seconds) => {
      const instance = autocannon({
        url: `${server.url}${PATH}`,
        connections: CONCURRENCY,
        duration: seconds,
        requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (request) => ({ ...request, body: body(sent++) }) }],
      });
      instance.on('response', (_client, status, _bytes, ms) => status >= 200 && status < 300 && latencies.push(ms));
      return instance;
    };
    const allAnswered = (result, phase) => {
      if (result.non2xx || result.errors || result.timeouts)
        throw new Error(`${kind} ${phase}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
      return result;
    };
    allAnswered(await fire(2), 'warm-up'); // JIT
    latencies = [];
    const [serverBefore, clientBefore] = [await server.cpu(), process.cpuUsage()];
    const result = allAnswered(await fire(DURATION), 'measured');
    const [serverCpu, clientCpu] = [await server.cpu(serverBefore), process.cpuUsage(clientBefore)];
    latencies.sort((a, b) => a - b);
    const requests = result['2xx'];
    const cpuMs = (serverCpu.user + serverCpu.system) / 1000;
    return {
      requests,
      requests_per_s: Math.round(requests / DURATION),
      latency_ms: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)) },
      cpu_ms_per_request: round(cpuMs / requests, 4),
      server_cpu_cores: round(cpuMs / 1000 / DURATION),
      load_generator_cpu_cores: round((clientCpu.user + clientCpu.system) / 1e6 / DURATION),
      peak_rss_mib: round(server.peakRssMiB(), 1),
    };
  } finally {
    await server.stop();
  }
}

/** One valid body answers 201 `{ id, deduped: false }`; for the Nest servers, invalid ones are refused. */
async function check(kind, url) {
  const post = (json) => fetch(`${url}${PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json });
  const good = { ...JSON.parse(body(0)), external_ref: `${run}-check` };
  const valid = await post(JSON.stringify(good));
  const answer = await valid.json();
  if (valid.status !== 201 || typeof answer.id !== 'string' || answer.deduped !== false) throw new Error(`${kind}: ${valid.status} ${JSON.stringify(answer)}`);
  if (kind === 'raw') return; // the floor validates nothing
  const invalid = [
    { ...good, deployed_at: 'yesterday' },
    { ...good, unknown_field: 1 },
    ...(COMMITS ? [{ ...good, commits: [{ sha: 'not hex', committed_at: good.committed_at }, ...good.commits.slice(1)] }] : []),
  ];
  for (const json of invalid) {
    // No ErrorFilter here (the app's is Express-only): the pipe's DomainError reaches Nest's own filter, a 500.
    const response = await post(JSON.stringify(json));
    if (response.ok) throw new Error(`${kind} accepted an invalid body: ${JSON.stringify(json).slice(0, 200)}`);
  }
}

/** Forks server.mjs and waits for its port. */
async function start(kind) {
  const child = fork(new URL('./server.mjs', import.meta.url), [kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    /** The child's CPU time so far (µs), or since `previous`. */
    cpu(previous) {
      return new Promise((resolve) => {
        child.once('message', ({ cpu }) => resolve(previous ? { user: cpu.user - previous.user, system: cpu.system - previous.system } : cpu));
        child.send('cpu');
      });
    },
    peakRssMiB: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024,
    stop() {
      return new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', resolve);
        child.kill('SIGTERM');
      });
    },
  };
}
