// The embedded database, run off the API's event loop: PGlite executes queries on the thread that
// embeds it, so in the main thread a slow query would stall HTTP handling (DESIGN §3).
// Plain JavaScript so that it loads as a worker both from the build and from the test sources.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** @type {{ pgDataDir: string | undefined, maxConnections: number }} */
const { pgDataDir, maxConnections } = workerData;

try {
  const db = await PGlite.create(pgDataDir);
  // The socket has no authentication: loopback only.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  parentPort.on('message', async (message) => {
    if (message !== 'stop') return;
    await server.stop();
    await db.close();
    parentPort.postMessage({ type: 'stopped' });
  });
  parentPort.postMessage({ type: 'ready', url: `postgresql://postgres@${server.getServerConn()}/postgres` });
} catch (error) {
  parentPort.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
