// Shared by the benchmarks: a database of their own, the built API as a process, and a few figures.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Creates a fresh database on the benchmark server; answers its URL and a function that drops it. */
export async function createBenchDatabase(label) {
  const name = `dora_bench_${label}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      if (process.env.BENCH_KEEP) return console.error(`kept ${url}`); // for EXPLAIN ANALYZE by hand
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * Where a phase's CPU goes: the API process, every PostgreSQL process on this machine, and this process
 * (the load generator or the floor's client), read from /proc. `start()` then, at the phase's end,
 * `perDeployment(n)` answers each one's CPU milliseconds per deployment; `postgres` is null when the
 * database server is not on this machine (no PostgreSQL process visible).
 */
export function cpuMeter(apiPid) {
  let before;
  const snapshot = () => ({ api: apiPid === undefined ? null : processCpuMs(apiPid), postgres: postgresCpuMs(), self: process.cpuUsage() });
  return {
    start() {
      before = snapshot();
    },
    perDeployment(count) {
      const after = snapshot();
      const self = process.cpuUsage(before.self);
      const per = (ms) => (ms === null ? null : Number((ms / count).toFixed(4)));
      return {
        ...(apiPid !== undefined && { api: per(after.api - before.api) }),
        postgres: per(after.postgres === null ? null : after.postgres - before.postgres),
        [apiPid === undefined ? 'client' : 'load_generator']: per((self.user + self.system) / 1000),
      };
    },
  };
}

const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux

function processCpuMs(pid) {
  return cpuMsOf(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** utime + stime of a /proc/<pid>/stat line (the fields after the command name, which may hold spaces). */
function cpuMsOf(stat) {
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
}

function postgresCpuMs() {
  let total = 0;
  let seen = false;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // the process ended while being read
    }
    if (!stat.includes(' (postgres) ')) continue;
    total += cpuMsOf(stat);
    seen = true;
  }
  return seen ? total : null;
}

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Builds the API if needed (tsc -b is incremental). */
export function buildApi() {
  return run(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, '-b', 'apps/api/tsconfig.app.json']);
}

/**
 * Builds the API if needed, then starts it and waits until it listens. With
 * `firstStart`, waits for the first-start text too and answers its admin password and ingest token.
 */
/**
 * Starts the built API on a free port and waits until it listens. `command`: how it is started, by
 * default `node apps/api/dist/main.js`; e.g. `['npm', 'start']` (the README's) or `['sh', 'docker/start.sh']`
 * (the image's), run in a process group of their own so that stopping stops the server too.
 */
export async function startApi(env, { firstStart = false, command } = {}) {
  await buildApi();
  const port = await freePort();
  // BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=tmp/prof" profiles the API while it is measured.
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const [file, ...args] = command ?? [process.execPath, ...nodeArgs, `${ROOT}apps/api/dist/main.js`];
  const child = spawn(file, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  let listening = false;
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      // Once it listens, keep only the tail: a growing copy of every request's log line would cost
      // this process CPU that the measured one competes for.
      output = listening ? (output + chunk).slice(-8192) : output + chunk;
      if (!listening && output.includes('listening on')) {
        listening = true;
        resolve();
      }
    });
    child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-65536)));
    child.on('exit', (code) => reject(new Error(`API exited with ${code}:\n${output}`)));
  });
  if (firstStart && !output.includes('ingest token:')) throw new Error(`no first-start text:\n${output}`);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    firstStart: firstStart
      ? { token: /ingest token: +(ffp_\w+)/.exec(output)[1], password: /admin password: +(\S+)/.exec(output)[1] }
      : undefined,
    /** Resident set size now. */
    rssMiB() {
      return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
    },
    /** Peak resident set size so far, from the kernel's high-water mark. */
    peakRssMiB() {
      const kib = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]);
      return kib / 1024;
    },
    stop() {
      return new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', resolve);
        process.kill(-child.pid, 'SIGTERM');
      });
    },
  };
}

/** Runs the operator CLI with --json on the given database and answers its JSON. */
export async function cli(args, env) {
  const { stdout } = await run(process.execPath, [`${ROOT}apps/api/dist/cli.js`, ...args, '--json'], env);
  return JSON.parse(stdout);
}

function run(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => (code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`${command} ${args.join(' ')} failed:\n${stdout}${stderr}`))));
  });
}

export function percentile(sortedValues, p) {
  if (sortedValues.length === 0) return NaN;
  const index = Math.min(sortedValues.length - 1, Math.ceil((p / 100) * sortedValues.length) - 1);
  return sortedValues[Math.max(0, index)];
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): the same seed, the same data. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A log-normal sample with the given median and spread: durations with a long tail. */
export function logNormal(random, median, sigma) {
  return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}
