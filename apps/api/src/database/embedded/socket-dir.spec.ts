import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { chmod, chown, lstat, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_SOCKET_PATH_BYTES, prepareSocketDir, SOCKET_FILE, socketDirFor, socketUrl, temporarySocketDir } from './socket-dir.js';

describe('the embedded database socket directory', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dora-sockdir-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is <data dir>/run while the socket path fits, else a directory under the temp directory named after the data directory', () => {
    expect(socketDirFor('/srv/dora')).toEqual({ dir: '/srv/dora/run', temporary: false });
    const long = `/srv/${'d'.repeat(MAX_SOCKET_PATH_BYTES)}`;
    const hash = createHash('sha256').update(long).digest('hex').slice(0, 16);
    expect(socketDirFor(long)).toEqual({ dir: join(tmpdir(), `dora-${hash}`), temporary: true });
    expect(socketDirFor(`${long}/`)).toEqual(socketDirFor(long));
  });

  it('is handed to pg as a socket URL whose host parameter is the directory', () => {
    const url = new URL(socketUrl('/data dir/run'));
    expect(url.searchParams.get('host')).toBe('/data dir/run');
    expect([url.username, url.port, url.pathname]).toEqual(['postgres', '5432', '/postgres']);
  });

  it('is created 0700, a looser existing one is made private again, and a stale socket file is removed', async () => {
    const socket = await prepareSocketDir(dir);
    expect(socket).toMatchObject({ dir: join(dir, 'run'), path: join(dir, 'run', SOCKET_FILE) });
    expect((await lstat(socket.dir)).mode & 0o777).toBe(0o700);

    await chmod(socket.dir, 0o755);
    await writeFile(socket.path, 'stale');
    await prepareSocketDir(dir);
    expect((await lstat(socket.dir)).mode & 0o777).toBe(0o700);
    await expect(lstat(socket.path)).rejects.toThrow(/ENOENT/);
  });

  it('refuses a directory owned by another user, and a symbolic link', async () => {
    const run = join(dir, 'run');
    if (process.getuid?.() === 0) {
      await mkdir(run, { mode: 0o700 });
      await chown(run, 65534, 65534);
      await expect(prepareSocketDir(dir)).rejects.toThrow(/owned by uid 65534, not by this server's user/);
      await rm(run, { recursive: true });
    }
    await mkdir(join(dir, 'elsewhere'));
    await symlink(join(dir, 'elsewhere'), run);
    await expect(prepareSocketDir(dir)).rejects.toThrow(/not a directory \(or is a symbolic link\)/);
  });

  it('is a fresh private temporary directory for an in-memory database, removed with it', async () => {
    const socket = await temporarySocketDir();
    expect((await lstat(socket.dir)).mode & 0o777).toBe(0o700);
    expect(socket.path).toBe(join(socket.dir, SOCKET_FILE));
    await socket.remove();
    await expect(lstat(socket.dir)).rejects.toThrow(/ENOENT/);
  });
});
