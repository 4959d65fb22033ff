import type { AppConfig } from '../config/config.js';
import { DataDirLock, type LockHolder } from './embedded/data-dir-lock.js';
import { startEmbeddedDatabase } from './embedded/embedded-database.js';

/** The database a process works on, however it was reached. */
export interface OpenDatabase {
  kind: 'postgresql' | 'embedded';
  url: string;
  /** Connections this process may hold: the embedded database is one session shared by all of them. */
  poolSize: number;
  /** True when this process opened the database itself (and so must migrate it); false when it works through the running server. */
  owned: boolean;
  /** One line for the logs: which database is in use. */
  description: string;
  close(): Promise<void>;
}

export class DataDirBusyError extends Error {
  constructor(dir: string, holder: LockHolder) {
    super(
      `The embedded database in ${dir} is in use by ${holder.role === 'server' ? 'a running server' : 'a dora command'} ` +
        `(pid ${holder.pid}). Stop it first, or set DORA_DATA_DIR to another directory or DATABASE_URL to a PostgreSQL server.`,
    );
  }
}

/** The pool, the CLI and a spare (DESIGN §3). */
const EMBEDDED_MAX_CONNECTIONS = 3;
/** How long to wait for a CLI command that holds the embedded data directory. */
const CLI_LOCK_WAIT_MS = 15_000;

/**
 * `DATABASE_URL` selects a real PostgreSQL; without it, the embedded default in `DORA_DATA_DIR`.
 * A server takes the embedded directory for itself; the CLI goes through the running server's socket
 * (a Unix socket in a 0700 directory, its URL recorded in the lock file) when there is one and opens
 * the directory itself only when there is none.
 */
export async function openDatabase(config: AppConfig, role: LockHolder['role']): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    return {
      kind: 'postgresql',
      url: config.databaseUrl,
      poolSize: config.databasePoolSize,
      owned: true,
      description: `PostgreSQL at ${describeUrl(config.databaseUrl)}`,
      close: async () => undefined,
    };
  }
  const deadline = Date.now() + CLI_LOCK_WAIT_MS;
  for (;;) {
    const lock = await DataDirLock.acquire(config.dataDir, role);
    if (lock instanceof DataDirLock) return startOwned(config.dataDir, lock);
    if (role === 'cli' && lock.role === 'server' && lock.url) {
      return {
        kind: 'embedded',
        url: lock.url,
        poolSize: 1,
        owned: false,
        description: `embedded PostgreSQL of the server running on ${config.dataDir} (pid ${lock.pid})`,
        close: async () => undefined,
      };
    }
    // A CLI command holds the directory for a moment (or a server is still starting): wait for it.
    if (Date.now() > deadline || (role === 'server' && lock.role === 'server')) throw new DataDirBusyError(config.dataDir, lock);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function startOwned(dataDir: string, lock: DataDirLock): Promise<OpenDatabase> {
  try {
    const database = await startEmbeddedDatabase({ dataDir, maxConnections: EMBEDDED_MAX_CONNECTIONS });
    await lock.publish(database.url);
    return {
      kind: 'embedded',
      url: database.url,
      poolSize: 1,
      owned: true,
      description: `embedded PostgreSQL (PGlite) in ${dataDir} (private Unix socket in ${database.socketDir}) — for trying and development; set DATABASE_URL for production`,
      close: async () => {
        await database.stop();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/** host:port/database and user, never the password; a `?host=` (a Unix socket directory) wins, as it does in `pg`. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
    const socketDir = parsed.searchParams.get('host');
    return `${user}${socketDir ? `${socketDir}:${parsed.port || '5432'}` : parsed.host || 'localhost'}${parsed.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
