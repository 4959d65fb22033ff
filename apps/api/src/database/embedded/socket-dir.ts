import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, mkdtemp, open, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The name PostgreSQL clients look for in a socket directory on the default port: `psql -h <dir>` finds it. */
export const SOCKET_FILE = '.s.PGSQL.5432';
/** A Unix socket path holds at most 107 bytes on Linux (103 on macOS); stay safely below. */
export const MAX_SOCKET_PATH_BYTES = 100;

/** The socket directory cannot be made private: the server refuses to start, saying why. */
export class SocketDirError extends Error {}

/** Where the embedded database's socket lives: a directory of mode 0700 owned by this process's user. */
export interface SocketDir {
  dir: string;
  /** `<dir>/.s.PGSQL.5432` */
  path: string;
  /** Removes what this process put there (the directory itself when it is a temporary one). */
  remove(): Promise<void>;
}

/**
 * The socket directory of a data directory: `<data dir>/run`, or — when that would make the socket's
 * path too long for a Unix socket — `<tmpdir>/dora-<first 16 hex of sha256(absolute data dir)>`.
 * Pure: see `prepareSocketDir` for creating it.
 */
export function socketDirFor(dataDir: string): { dir: string; temporary: boolean } {
  const absolute = resolve(dataDir);
  const inside = join(absolute, 'run');
  if (fits(inside)) return { dir: inside, temporary: false };
  const hash = createHash('sha256').update(absolute).digest('hex').slice(0, 16);
  return { dir: join(tmpdir(), `dora-${hash}`), temporary: true };
}

/**
 * Creates (or checks) the private socket directory of a data directory and removes a stale socket
 * left there by a killed process. The caller holds the data directory's lock, so no live server uses it.
 */
export async function prepareSocketDir(dataDir: string): Promise<SocketDir> {
  const { dir, temporary } = socketDirFor(dataDir);
  assertFits(dir);
  await mkdir(dir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  await assertPrivate(dir);
  const path = join(dir, SOCKET_FILE);
  await removeSocket(path);
  return {
    dir,
    path,
    async remove() {
      await removeSocket(path).catch(() => undefined);
      // A temporary directory goes with the server; `<data dir>/run` stays (it is empty once stopped).
      if (temporary) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/** A fresh private directory for an in-memory database's socket (the test suite's), removed on stop. */
export async function temporarySocketDir(): Promise<SocketDir> {
  const dir = await mkdtemp(join(tmpdir(), 'dora-mem-')); // mkdtemp creates it with mode 0700
  try {
    assertFits(dir);
    await assertPrivate(dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const path = join(dir, SOCKET_FILE);
  return { dir, path, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * The URL `pg` (and so TypeORM, which hands `url` to pg as its `connectionString`) and libpq's psql
 * understand for a socket directory: the `host` query parameter wins over the URL's host name.
 * The port names the socket file (`.s.PGSQL.5432`), explicit so that a stray PGPORT cannot change it.
 */
export function socketUrl(dir: string): string {
  return `postgresql://postgres@localhost:5432/postgres?host=${encodeURIComponent(dir)}`;
}

function fits(dir: string): boolean {
  return Buffer.byteLength(join(dir, SOCKET_FILE)) <= MAX_SOCKET_PATH_BYTES;
}

function assertFits(dir: string): void {
  if (!fits(dir)) {
    throw new SocketDirError(
      `The embedded database's socket path ${join(dir, SOCKET_FILE)} is longer than ${MAX_SOCKET_PATH_BYTES} bytes, ` +
        'too long for a Unix socket: set TMPDIR (or DORA_DATA_DIR) to a shorter path.',
    );
  }
}

/** Mode 0700 and owned by this process's user, checked on the directory itself (never through a symlink). */
async function assertPrivate(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'ENOTDIR') {
      throw new SocketDirError(`Refusing to put the embedded database's socket in ${dir}: it is not a directory (or is a symbolic link). Remove it.`, {
        cause: error,
      });
    }
    throw error;
  }
  try {
    const stats = await handle.stat();
    const uid = process.getuid?.();
    if (uid !== undefined && stats.uid !== uid) {
      throw new SocketDirError(
        `Refusing to put the embedded database's socket in ${dir}: it is owned by uid ${stats.uid}, not by this server's user (uid ${uid}). ` +
          'Remove it, or set DORA_DATA_DIR to another directory.',
      );
    }
    if ((stats.mode & 0o777) !== 0o700) await handle.chmod(0o700);
    if (((await handle.stat()).mode & 0o777) !== 0o700) throw new SocketDirError(`Could not make ${dir} private (mode 0700)`);
  } finally {
    await handle.close();
  }
}

async function removeSocket(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
