import { mkdir, open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Who holds a data directory, as written in its lock file. */
export interface LockHolder {
  pid: number;
  role: 'server' | 'cli';
  /** The embedded database's socket URL (`postgresql://…?host=<socket dir>`), once it is listening. */
  url?: string;
}

/**
 * Only one process may ever open the embedded database's directory: a second one "works" and its
 * writes are silently lost (DESIGN §3). The holder writes its pid (and later its socket's URL) into
 * `dora.lock`; a lock whose process is gone is taken over, as PostgreSQL does with postmaster.pid.
 */
export class DataDirLock {
  private constructor(
    private readonly file: string,
    private readonly holder: LockHolder,
  ) {}

  /** Takes the lock, or answers who holds it. */
  static async acquire(dir: string, role: LockHolder['role']): Promise<DataDirLock | LockHolder> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, 'dora.lock');
    const holder: LockHolder = { pid: process.pid, role };
    const attempts = 20;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const handle = await open(file, 'wx', 0o600);
        await handle.writeFile(JSON.stringify(holder));
        await handle.close();
        return new DataDirLock(file, holder);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = await readHolder(file);
      if (current === undefined && attempt < attempts / 2) {
        await sleep(50); // another process is writing it right now
        continue;
      }
      // Our own pid in an old lock is a previous run's (a container's main process always has the same pid).
      if (current && current.pid !== process.pid && isAlive(current.pid)) return current;
      await unlink(file).catch(() => undefined); // stale (its process is gone) or unreadable
    }
    throw new Error(`Could not lock ${dir}: ${file} keeps reappearing`);
  }

  /** Records the socket's URL so that the CLI can work through this process. */
  async publish(url: string): Promise<void> {
    this.holder.url = url;
    const temporary = `${this.file}.${process.pid}`;
    await writeFile(temporary, JSON.stringify(this.holder), { mode: 0o600 });
    await rename(temporary, this.file);
  }

  async release(): Promise<void> {
    const current = await readHolder(this.file);
    if (current?.pid === process.pid) await unlink(this.file).catch(() => undefined);
  }
}

async function readHolder(file: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockHolder;
  } catch {
    return undefined; // gone, or being written: the caller retries
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
