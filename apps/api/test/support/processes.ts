import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
/** The command the Docker image runs. */
export const DOCKER_START = fileURLToPath(new URL('../../../../docker/start.sh', import.meta.url));

/** A real server process, started from the build exactly as `npm start` starts it. */
export interface ServerProcess {
  url: string;
  /** The server's process id (node itself when started from the build). */
  pid: number;
  output(): string;
  /** Sends a signal and answers the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startServer(env: Record<string, string>, command: string[] = [process.execPath, `${DIST}main.js`]): Promise<ServerProcess> {
  const [executable, ...args] = command as [string, ...string[]];
  const child = spawn(executable, args, {
    env: { PATH: process.env.PATH, NO_COLOR: '1', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(output);
      if (listening) {
        child.stdout.off('data', onData);
        child.stdout.on('data', (more: Buffer) => (output += more.toString()));
        resolve(server(child, listening[1]!, () => output, exited));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
    setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not say "listening on" within 180 s:\n${output}`));
    }, 180_000).unref();
  });
}

function server(child: ChildProcess, url: string, output: () => string, exited: Promise<number | null>): ServerProcess {
  return {
    url,
    pid: child.pid!,
    output,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}

/** Runs a server that is expected to refuse to start; answers its exit code and output. */
export function runServerToExit(env: Record<string, string>, command: string[] = [process.execPath, `${DIST}main.js`]): Promise<{ code: number | null; output: string }> {
  return run(command, { PORT: '0', HOST: '127.0.0.1', ...env }).then(({ code, stdout, stderr }) => ({ code, output: stdout + stderr }));
}

/** The operator CLI, as `npm run dora -- <args>` runs it. */
export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return run([process.execPath, `${DIST}cli.js`, ...args], env);
}

function run([executable, ...args]: string[], env: Record<string, string>) {
  const child = spawn(executable!, args, { env: { PATH: process.env.PATH, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}
