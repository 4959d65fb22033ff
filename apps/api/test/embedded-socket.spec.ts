import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli, runServerToExit, type ServerProcess, startServer } from './support/processes.js';

/**
 * The embedded default's PostgreSQL has no authentication (every client is superuser), so it must be
 * reachable only by the server's own OS user: a Unix socket in a 0700 directory and no TCP port.
 * Real server processes from the build; the access checks use another OS user (`nobody`), hence root.
 */

const SOCKET_FILE = '.s.PGSQL.5432';
const START_TIMEOUT = 180_000;

function exec(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, args, { env: { PATH: process.env.PATH, PGCONNECT_TIMEOUT: '20' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `psql -h <socket dir>`: libpq looks for `.s.PGSQL.5432` in that directory. */
const psqlArgs = (socketDir: string) => ['-X', '-h', socketDir, '-U', 'postgres', '-d', 'postgres', '-Atc', 'select 1'];

/** The inodes of the sockets a process holds open (its threads share them: this covers the PGlite worker). */
async function socketInodes(pid: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''); // closed meanwhile
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  return inodes;
}

/** The TCP ports (IPv4 and IPv6) a process listens on, from /proc/net/tcp{,6} (state 0A = LISTEN). */
async function listeningTcpPorts(pid: number): Promise<number[]> {
  const inodes = await socketInodes(pid);
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(table, 'utf8')).trim().split('\n').slice(1);
    for (const line of lines) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A' && inodes.has(fields[9]!)) ports.add(parseInt(fields[1]!.split(':')[1]!, 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** The Unix socket paths a process listens on, from /proc/net/unix (flag __SO_ACCEPTCON = 00010000). */
async function listeningUnixPaths(pid: number): Promise<string[]> {
  const inodes = await socketInodes(pid);
  return (await readFile('/proc/net/unix', 'utf8'))
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    // Num RefCount Protocol Flags Type St Inode Path
    .filter((fields) => fields[3] === '00010000' && inodes.has(fields[6]!) && fields[7] !== undefined)
    .map((fields) => fields[7]!);
}

const mode = async (path: string) => (await lstat(path)).mode & 0o777;

describe.each([
  { where: 'in <data dir>/run', long: false },
  { where: 'in a 0700 directory under the temp directory when the data directory path is too long for a socket path', long: true },
])('the embedded database listens only on a private Unix socket $where', ({ long }) => {
  let base: string;
  let dataDir: string;
  let socketDir: string;
  let socketPath: string;
  let server: ServerProcess | undefined;
  let readToken: string;

  beforeAll(async () => {
    if (process.getuid?.() !== 0) {
      throw new Error('embedded-socket.spec.ts must run as root: it checks that another OS user (nobody, via runuser) is refused, and root ignores file modes');
    }
    base = await mkdtemp(join(tmpdir(), 'dora-socket-'));
    dataDir = long ? join(base, 'a-data-directory-whose-path-is-long-enough-to-push-its-socket-path-past-the-unix-limit') : join(base, 'data');
    // Traversable by anyone, so that only the socket directory's own mode keeps other users out.
    await chmod(base, 0o755);
    await mkdir(dataDir, { mode: 0o755 });
    await chmod(dataDir, 0o755);
    socketDir = long ? join(tmpdir(), `dora-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`) : join(dataDir, 'run');
    socketPath = join(socketDir, SOCKET_FILE);
    if (long) {
      // Beyond even the kernel's 107 bytes: `<data dir>/run` could not have worked.
      expect(Buffer.byteLength(join(dataDir, 'run', SOCKET_FILE))).toBeGreaterThan(107);
      await rm(socketDir, { recursive: true, force: true });
    }
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    if (base) await rm(base, { recursive: true, force: true });
    if (long && socketDir) await rm(socketDir, { recursive: true, force: true });
  });

  it(
    'creates the socket in a directory of mode 0700 owned by the server, and publishes its URL in the lock file',
    async () => {
      server = await startServer({ DORA_DATA_DIR: dataDir });
      expect(await mode(socketDir)).toBe(0o700);
      expect((await lstat(socketDir)).uid).toBe(process.getuid!());
      expect((await lstat(socketPath)).isSocket()).toBe(true);
      expect(server.output()).toContain(`private Unix socket in ${socketDir}`);
      const lock = JSON.parse(await readFile(join(dataDir, 'dora.lock'), 'utf8')) as { pid: number; url: string };
      expect(lock.pid).toBe(server.pid);
      expect(new URL(lock.url).searchParams.get('host')).toBe(socketDir);
      expect(await listeningUnixPaths(server.pid)).toEqual([socketPath]);
      // The server's own user connects (root, as the server runs here).
      expect(await exec('psql', psqlArgs(socketDir))).toMatchObject({ code: 0, stdout: '1\n' });
    },
    START_TIMEOUT,
  );

  it('refuses another OS user, who can reach the directory around it but not the socket directory itself', async () => {
    expect((await exec('runuser', ['-u', 'nobody', '--', 'test', '-x', dirname(socketDir)])).code).toBe(0);
    expect((await exec('runuser', ['-u', 'nobody', '--', 'test', '-x', socketDir])).code).not.toBe(0);
    const refused = await exec('runuser', ['-u', 'nobody', '--', 'psql', ...psqlArgs(socketDir)]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Permission denied/);
    expect(refused.stdout).toBe('');
  });

  it('opens no TCP port but the HTTP one (the PGlite worker thread included)', async () => {
    const httpPort = Number(new URL(server!.url).port);
    expect(await listeningTcpPorts(server!.pid)).toEqual([httpPort]);
  });

  it(
    'lets the operator CLI work through the running server',
    async () => {
      const env = { DORA_DATA_DIR: dataDir };
      const created = await runCli(['orgs:create', 'sockettest', '--name', 'Socket test', '--json'], env);
      expect(created).toMatchObject({ code: 0 });
      expect(JSON.parse(created.stdout)).toMatchObject({ org: { slug: 'sockettest' } });
      // Through the server's socket: the server still holds the data directory.
      expect(JSON.parse(await readFile(join(dataDir, 'dora.lock'), 'utf8'))).toMatchObject({ pid: server!.pid, role: 'server' });
      const minted = await runCli(['tokens:create', '--org', 'sockettest', '--name', 't', '--scope', 'dora:read', '--json'], env);
      expect(minted.code).toBe(0);
      readToken = (JSON.parse(minted.stdout) as { secret: string }).secret;
      const res = await fetch(`${server!.url}/api/v1/orgs/sockettest/dora/environments`, { headers: { Authorization: `Bearer ${readToken}` } });
      expect(res.status).toBe(200);
    },
    START_TIMEOUT,
  );

  it(
    'starts again on the same data directory after SIGKILL left a stale socket and lock, making a loosened directory private again',
    async () => {
      const killed = server!;
      await killed.stop('SIGKILL');
      server = undefined;
      expect((await lstat(socketPath)).isSocket()).toBe(true);
      expect(JSON.parse(await readFile(join(dataDir, 'dora.lock'), 'utf8'))).toMatchObject({ pid: killed.pid });
      await chmod(socketDir, 0o755);

      server = await startServer({ DORA_DATA_DIR: dataDir });
      expect(server.pid).not.toBe(killed.pid);
      expect(await mode(socketDir)).toBe(0o700);
      expect(await listeningUnixPaths(server.pid)).toEqual([socketPath]);
      expect(await listeningTcpPorts(server.pid)).toEqual([Number(new URL(server.url).port)]);
      const res = await fetch(`${server.url}/api/v1/orgs/sockettest/dora/environments`, { headers: { Authorization: `Bearer ${readToken}` } });
      expect(res.status).toBe(200);
      expect((await runCli(['tokens:create', '--org', 'sockettest', '--name', 't2', '--scope', 'dora:read', '--json'], { DORA_DATA_DIR: dataDir })).code).toBe(0);
    },
    START_TIMEOUT,
  );

  it(
    'removes the socket on a clean stop (and a temporary socket directory with it)',
    async () => {
      expect(await server!.stop('SIGTERM')).toBe(0);
      server = undefined;
      expect(existsSync(socketPath)).toBe(false);
      expect(existsSync(socketDir)).toBe(!long);
    },
    START_TIMEOUT,
  );

  it(
    'refuses to start when the socket directory belongs to another user',
    async () => {
      await mkdir(socketDir, { recursive: true, mode: 0o700 });
      await exec('chown', ['nobody', socketDir]);
      expect((await lstat(socketDir)).uid).not.toBe(process.getuid!());
      const refused = await runServerToExit({ DORA_DATA_DIR: dataDir });
      expect(refused.code).not.toBe(0);
      expect(refused.output).toContain(`Refusing to put the embedded database's socket in ${socketDir}: it is owned by uid`);
      expect(existsSync(join(dataDir, 'dora.lock'))).toBe(false);
    },
    START_TIMEOUT,
  );
});
