import { Worker } from 'node:worker_threads';

export interface EmbeddedDatabase {
  /** A `postgresql://` URL of the socket on 127.0.0.1; use it with the ordinary `pg` driver. */
  url: string;
  stop(): Promise<void>;
}

type WorkerMessage = { type: 'ready'; url: string } | { type: 'stopped' } | { type: 'failed'; message: string };

/**
 * Starts PGlite behind pglite-socket in a worker thread. `pgDataDir` undefined keeps it in memory.
 * The caller must hold the data directory's lock (see DataDirLock).
 */
export async function startEmbeddedDatabase(options: {
  pgDataDir: string | undefined;
  maxConnections: number;
}): Promise<EmbeddedDatabase> {
  const worker = new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData: options });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('message', (message: WorkerMessage) => {
      if (message.type === 'ready') resolve(message.url);
      else reject(new Error(`Embedded database did not start: ${'message' in message ? message.message : message.type}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`Embedded database exited with code ${code} while starting`)));
  });
  worker.removeAllListeners('exit');
  worker.on('error', (error) => {
    // Without its database the service cannot do anything right; stop loudly rather than limp on.
    console.error(`embedded database failed: ${error.message}`);
    process.exit(70);
  });
  return {
    url,
    async stop() {
      const stopped = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}
