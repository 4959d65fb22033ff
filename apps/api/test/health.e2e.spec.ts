import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { SERVICE_VERSION } from '../src/common/version.js';
import { createOrg, startTestApp, type TestApp } from './support/test-app.js';
import { testDatabase } from './support/test-database.js';

/** A TCP proxy in front of the test database (on TCP, or on a Unix socket: `?host=<dir>`) that can be made to drop every connection. */
async function startDatabaseProxy(target: URL) {
  const sockets = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) return client.destroy();
    const socketDir = target.searchParams.get('host');
    const upstream = socketDir ? connect(join(socketDir, `.s.PGSQL.${target.port || 5432}`)) : connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const url = new URL(target);
  url.port = String(port);
  url.hostname = '127.0.0.1';
  url.searchParams.delete('host');
  return {
    url: url.toString(),
    setDown(value: boolean) {
      down = value;
      if (down) for (const socket of sockets) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('health, readiness and status', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('GET /healthz answers while the process is up', async () => {
    expect((await t.http().get('/healthz').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 when the database answers', async () => {
    expect((await t.http().get('/readyz').expect(200)).body).toEqual({ status: 'ready' });
  });

  it('GET /api/v1/status names the version and the database, and keeps the list of orgs to itself', async () => {
    await createOrg(t.app, 'unlisted');
    const res = await t.http().get('/api/v1/status').expect(200);
    expect(res.body).toEqual({ status: 'ok', version: SERVICE_VERSION, database: process.env.DORA_TEST_DATABASE_KIND });
  });

  it('GET /api/v1/status lists the orgs when the operator made the directory public', async () => {
    const org = await createOrg(t.app, 'listed');
    const open = await startTestApp({ PUBLIC_ORG_DIRECTORY: 'true' });
    try {
      const res = await open.http().get('/api/v1/status').expect(200);
      expect(res.body.orgs).toContainEqual({ slug: org.slug, name: org.name });
    } finally {
      await open.close();
    }
  });

  it('answers an unknown API path with the JSON error body, not the dashboard', async () => {
    const res = await t.http().get('/api/v1/nothing-here').expect(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'No such endpoint' } });
  });

  it('serves the built dashboard for its routes (deep links included)', async () => {
    for (const path of ['/', '/demo/_admin/dora']) {
      const res = await t.http().get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('<div id="root"></div>');
    }
  });
});

describe('GET /readyz when the database goes away', () => {
  it('answers 503 with the JSON error body while the database is unreachable, and 200 again once it is back', async () => {
    const proxy = await startDatabaseProxy(new URL(testDatabase().url));
    const t = await startTestApp({}, { ...testDatabase(), url: proxy.url });
    try {
      await t.http().get('/readyz').expect(200);
      proxy.setDown(true);
      const down = await t.http().get('/readyz').expect(503);
      expect(down.body.error.code).toBe('database_unavailable');
      await t.http().get('/healthz').expect(200);
      proxy.setDown(false);
      await t.http().get('/readyz').expect(200);
    } finally {
      proxy.setDown(true);
      await t.close().catch(() => undefined);
      await proxy.close();
    }
  });
});
