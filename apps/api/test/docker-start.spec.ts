import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DOCKER_START, runServerToExit, type ServerProcess, startServer } from './support/processes.js';
import { ownerUrl, testDatabase } from './support/test-database.js';

const DOCKER = fileURLToPath(new URL('../../../docker/', import.meta.url));
const healthcheck = (port: string) => spawnSync(process.execPath, [join(DOCKER, 'healthcheck.mjs')], { env: { PORT: port }, timeout: 10_000 }).status;

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The Docker image's start path without Docker: the image's CMD is docker/start.sh, and its
 * HEALTHCHECK docker/healthcheck.mjs; here they run on an empty database of their own.
 */
describe('the Docker start script', () => {
  let env: Record<string, string>;
  let cleanUp: () => Promise<void>;
  let server: ServerProcess;

  beforeAll(async () => {
    const url = ownerUrl();
    if (process.env.DORA_TEST_DATABASE_KIND === 'postgresql') {
      const database = `dora_start_${Date.now()}_${process.pid}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.end();
      // Two roles, as the README sets them up: the owner migrates, the service runs as a role that owns nothing.
      const [owner, runtime] = [new URL(url), new URL(testDatabase().url)];
      owner.pathname = runtime.pathname = `/${database}`;
      env = { DATABASE_URL: runtime.toString(), DATABASE_MIGRATE_URL: owner.toString() };
      cleanUp = async () => {
        const dropper = new pg.Client({ connectionString: url });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await dropper.end();
      };
    } else {
      const dataDir = await mkdtemp(join(tmpdir(), 'dora-image-'));
      env = { DORA_DATA_DIR: dataDir };
      cleanUp = () => rm(dataDir, { recursive: true, force: true });
    }
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await cleanUp();
  });

  it('migrates the empty database (as the owner), then serves the dashboard, the API and its docs (as a role that owns nothing)', async () => {
    server = await startServer(env, [DOCKER_START]);
    expect(server.output()).toMatch(/applied migrations: InitialSchema\d+, /);
    expect(server.output()).not.toMatch(/owns the schema/);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const page = await fetch(`${server.url}/`);
    expect([page.status, await page.text()]).toEqual([200, expect.stringContaining('<div id="root">')]);
    expect((await fetch(`${server.url}/api/openapi.json`)).status).toBe(200);
  });

  it('is healthy for the HEALTHCHECK while it serves', () => {
    expect(healthcheck(new URL(server.url).port)).toBe(0);
  });

  it('stops cleanly on SIGTERM, after which the HEALTHCHECK fails', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.output()).toMatch(/"msg":"stopped"/);
    expect(healthcheck(new URL(server.url).port)).toBe(1);
  });

  it('exits non-zero, saying why, when the database cannot be reached', async () => {
    const { code, output } = await runServerToExit({ DATABASE_URL: `postgresql://dora@127.0.0.1:${await closedPort()}/dora` }, [DOCKER_START]);
    expect(code).toBe(1);
    expect(output).toMatch(/"level":"error".*"msg":"cannot reach the database \(PostgreSQL at dora@127\.0\.0\.1:\d+\/dora\): connect ECONNREFUSED/);
  });

  it('reports a malformed DATABASE_URL without its password', async () => {
    const { code, output } = await runServerToExit({ DATABASE_URL: 'postgresql://dora:hunter2-secret@db:port-is-not-a-number/dora' }, [DOCKER_START]);
    expect(code).toBe(1);
    expect(output).toContain('DATABASE_URL=');
    expect(output).toContain('dora:***@');
    expect(output).not.toContain('hunter2');
  });

  if (process.env.DORA_TEST_DATABASE_KIND === 'postgresql') {
    it('warns when the service itself runs as the schema owner (a single-role install)', async () => {
      const single = await startServer({ DATABASE_URL: env.DATABASE_MIGRATE_URL! }, [DOCKER_START]);
      try {
        expect(single.output()).toMatch(/"level":"warn".*owns the schema.*DATABASE_MIGRATE_URL/);
      } finally {
        await single.stop();
      }
    });
  }

  it('exits non-zero, naming the variable, on an invalid setting', async () => {
    const { code, output } = await runServerToExit({ ...env, SESSION_TTL_HOURS: 'forever' }, [DOCKER_START]);
    expect(code).toBe(1);
    expect(output).toContain('SESSION_TTL_HOURS=\\"forever\\" is not valid');
  });

  it('is what the Dockerfile runs and checks', async () => {
    const dockerfile = await readFile(join(DOCKER, 'api.Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^CMD \["docker\/start\.sh"\]$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*CMD \["node", "docker\/healthcheck\.mjs"\]$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^FROM node:20-slim$/m);
  });
});
