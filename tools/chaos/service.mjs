// The service as real processes: started as the image starts it (docker/start.sh), or as the README's
// first command does (npm start), each in a process group of its own so that a kill takes all of it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT, freePort } from '../bench/lib.mjs';

const START_DEADLINE_MS = 240_000;
/** Every process group started, so that a scenario that fails half-way leaves nothing running. */
const groups = new Set();

/** Kills whatever the harness started and is still running. */
export function killAll() {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  groups.clear();
}

/**
 * `command`: 'image' (docker/start.sh) or 'npm-start'; `wrap`: a command prefix (e.g. nsenter into a
 * mount namespace). Answers the running service; `restart()` starts it again on the same port.
 */
export async function startService({ env, command = 'image', wrap = [], port }) {
  port ??= await freePort();
  const argv = command === 'image' ? [`${ROOT}docker/start.sh`] : ['npm', 'start'];
  const childEnv = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/root', NO_COLOR: '1', HOST: '127.0.0.1', PORT: String(port), ...env };
  // npm start goes through Nx, which must be allowed its cache there (CI turns it off for the tests).
  if (command === 'npm-start') Object.assign(childEnv, { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: 'false' });
  const [executable, ...args] = [...wrap, ...argv];
  const child = spawn(executable, args, { cwd: ROOT, env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  groups.add(child.pid);
  let output = '';
  const keep = (chunk) => (output = (output + chunk).slice(-200_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  void exited.then(() => groups.delete(child.pid));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_DEADLINE_MS;
  for (;;) {
    const done = await Promise.race([exited.then((code) => ({ code })), new Promise((resolve) => setTimeout(resolve, 200, undefined))]);
    if (done) throw new Error(`the service exited (${done.code}) while starting:\n${output.slice(-4000)}`);
    if (/listening on/.test(output)) break;
    if (Date.now() > deadline) throw new Error(`the service did not listen within ${START_DEADLINE_MS / 1000} s:\n${output.slice(-4000)}`);
  }
  return {
    url,
    port,
    get pid() {
      return child.pid;
    },
    output: () => output,
    exited,
    peakRssMiB(pid = child.pid) {
      return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
    },
    /**
     * Sends a signal to the whole process group and waits until none of it is left: npm exits on
     * SIGTERM before the server it started has stopped (and closed its data directory).
     */
    async kill(signal = 'SIGKILL') {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
      const code = await exited;
      for (const deadline = Date.now() + 60_000; groupAlive(child.pid); await new Promise((resolve) => setTimeout(resolve, 100))) {
        if (Date.now() > deadline) process.kill(-child.pid, 'SIGKILL');
      }
      return code;
    },
    restart: () => startService({ env, command, wrap, port }),
  };
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
