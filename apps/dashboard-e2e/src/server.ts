import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The real service as `npm start` runs it, from the build: on DATABASE_URL when it is set, else on
 * the embedded database in a directory of its own.
 */
export async function startService(): Promise<{ url: string; env: Record<string, string>; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dora-e2e-'));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', NO_COLOR: '1', DORA_DATA_DIR: dataDir };
  if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
  // Port 0: the service takes a free port itself and says which. (A port found free beforehand can be taken
  // by another test's connection while the service migrates, before it listens.)
  const child = spawn(process.execPath, [`${ROOT}apps/api/dist/main.js`], { cwd: ROOT, env: { ...env, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await listening(child);
  return {
    url,
    env,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The operator CLI on the same database, with --json. */
export async function cli(env: Record<string, string>, ...args: string[]): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [`${ROOT}apps/api/dist/cli.js`, ...args, '--json'], { cwd: ROOT, env });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`dora ${args.join(' ')} failed: ${stdout}`);
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** The service's URL, once it says it listens. */
function listening(child: ChildProcess): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const said = /listening on (http:\/\/\S+)/.exec(output);
      if (said) resolve(said[1]!);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the service exited with ${code}:\n${output}`)));
  });
}
