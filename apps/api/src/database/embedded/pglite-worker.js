// The embedded database, run off the API's event loop: PGlite executes queries on the thread that
// embeds it, so in the main thread a slow query would stall HTTP handling (DESIGN §3).
// Plain JavaScript so that it loads as a worker both from the build and from the test sources.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** @type {{ pgDataDir: string | undefined, socketPath: string, maxConnections: number }} */
const { pgDataDir, socketPath, maxConnections } = workerData;

try {
  const db = await PGlite.create(pgDataDir);
  // The socket has no authentication (every client is superuser): it listens only on a Unix socket
  // (with `path`, pglite-socket opens no TCP port at all), inside a directory of mode 0700 owned by
  // the server's user, which the main thread has prepared (socket-dir.ts) — other OS users cannot reach it.
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
  await server.start();
  parentPort.on('message', async (message) => {
    if (message !== 'stop') return;
    await server.stop(); // closing the listening socket also unlinks its file
    await db.close();
    parentPort.postMessage({ type: 'stopped' });
  });
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  parentPort.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
