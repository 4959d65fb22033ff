import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLock } from './data-dir-lock.js';

describe('DataDirLock', () => {
  let dir: string;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dora-lock-'));
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill();
    await rm(dir, { recursive: true, force: true });
  });

  const liveProcess = () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.push(child);
    return child.pid!;
  };
  const deadProcess = () =>
    new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
      child.on('exit', () => resolve(child.pid!));
    });

  it('takes a free directory, creating it private, and records the holder and its address', async () => {
    const nested = join(dir, 'data');
    const lock = await DataDirLock.acquire(nested, 'server');
    expect(lock).toBeInstanceOf(DataDirLock);
    expect((await stat(nested)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(join(nested, 'dora.lock'), 'utf8'))).toEqual({ pid: process.pid, role: 'server' });

    await (lock as DataDirLock).publish('postgresql://postgres@localhost:5432/postgres?host=%2Ftmp%2Fdora-lock%2Frun');
    expect(JSON.parse(await readFile(join(nested, 'dora.lock'), 'utf8'))).toEqual({
      pid: process.pid,
      role: 'server',
      url: 'postgresql://postgres@localhost:5432/postgres?host=%2Ftmp%2Fdora-lock%2Frun',
    });
    await (lock as DataDirLock).release();
    await expect(stat(join(nested, 'dora.lock'))).rejects.toThrow(/ENOENT/);
  });

  it('answers the holder when a live process holds the directory', async () => {
    const holder = { pid: liveProcess(), role: 'server', url: 'postgresql://postgres@localhost:5432/postgres?host=%2Ftmp%2Fdora-other%2Frun' };
    await writeFile(join(dir, 'dora.lock'), JSON.stringify(holder));
    expect(await DataDirLock.acquire(dir, 'cli')).toEqual(holder);
  });

  it('takes over a lock whose process is gone', async () => {
    await writeFile(join(dir, 'dora.lock'), JSON.stringify({ pid: await deadProcess(), role: 'server' }));
    const lock = await DataDirLock.acquire(dir, 'cli');
    expect(lock).toBeInstanceOf(DataDirLock);
    expect(JSON.parse(await readFile(join(dir, 'dora.lock'), 'utf8'))).toEqual({ pid: process.pid, role: 'cli' });
  });

  it('never removes a lock it does not hold', async () => {
    const lock = (await DataDirLock.acquire(dir, 'server')) as DataDirLock;
    const other = { pid: liveProcess(), role: 'server' };
    await writeFile(join(dir, 'dora.lock'), JSON.stringify(other));
    await lock.release();
    expect(JSON.parse(await readFile(join(dir, 'dora.lock'), 'utf8'))).toEqual(other);
  });
});
