import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { prepareSocketDir, type SocketDir, socketUrl, temporarySocketDir } from './socket-dir.js';

export interface EmbeddedDatabase {
  /** A `postgresql://` URL of the Unix socket (`?host=<socket dir>`); use it with the ordinary `pg` driver. */
  url: string;
  /** The private (0700) directory holding the socket `.s.PGSQL.5432`: `psql -h <socketDir>` reaches it. */
  socketDir: string;
  stop(): Promise<void>;
}

type WorkerMessage = { type: 'ready' } | { type: 'stopped' } | { type: 'failed'; message: string };

/**
 * Starts PGlite behind pglite-socket in a worker thread, listening only on a Unix socket in a private
 * directory (the socket has no authentication: the directory's mode is the access control). The
 * database lives in `<dataDir>/pgdata`, its socket in the data directory's socket directory (see
 * `socketDirFor`); `dataDir` undefined keeps it in memory, with its socket in a fresh temporary directory.
 * The caller must hold the data directory's lock (see DataDirLock).
 */
export async function startEmbeddedDatabase(options: { dataDir: string | undefined; maxConnections: number }): Promise<EmbeddedDatabase> {
  const { dataDir, maxConnections } = options;
  const socket: SocketDir = dataDir === undefined ? await temporarySocketDir() : await prepareSocketDir(dataDir);
  const worker = new Worker(new URL('./pglite-worker.js', import.meta.url), {
    workerData: { pgDataDir: dataDir === undefined ? undefined : join(dataDir, 'pgdata'), socketPath: socket.path, maxConnections },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolve();
        else reject(new Error(`Embedded database did not start: ${'message' in message ? message.message : message.type}`));
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`Embedded database exited with code ${code} while starting`)));
    });
  } catch (error) {
    worker.removeAllListeners('exit');
    await worker.terminate().catch(() => undefined);
    await socket.remove();
    throw error;
  }
  worker.removeAllListeners('exit');
  worker.on('error', (error) => {
    // Without its database the service cannot do anything right; stop loudly rather than limp on.
    console.error(`embedded database failed: ${error.message}`);
    process.exit(70);
  });
  return {
    url: socketUrl(socket.dir),
    socketDir: socket.dir,
    async stop() {
      const stopped = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
      await socket.remove();
    },
  };
}
