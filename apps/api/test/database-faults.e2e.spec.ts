import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { startDatabaseProxy } from './support/database-proxy.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';
import { ownerUrl, testDatabase } from './support/test-database.js';
import { until } from './support/until.js';

/*
 * The database misbehaving under a running service: away, dropping its connections (a restart's
 * 57P01), slow behind a lock, out of connections. The service keeps running, answers 503 with
 * Retry-After (never a 500, never a hang), writes nothing it did not acknowledge, and recovers.
 * Locks are taken on the test's own org only (its tenant row), so that suites running beside it on
 * the same database never wait.
 */

const INGEST = '/api/v1/dora/deployments';
const onPostgres = process.env.DORA_TEST_DATABASE_KIND === 'postgresql';

function expectRetryLater(res: Response): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 503, code: 'database_unavailable' });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

/** The org's tenant row locked FOR UPDATE by the owner: every insert of the org waits on it (the foreign key's KEY SHARE). */
async function lockOrg(org: Tenant): Promise<{ release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: ownerUrl() });
  client.on('error', () => undefined);
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE', [org.id]);
  return {
    release: async () => {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    },
  };
}

describe(`the database misbehaving (${process.env.DORA_TEST_DATABASE_KIND})`, () => {
  const apps: TestApp[] = [];
  const locks: { release: () => Promise<void> }[] = [];
  let refs = 0;

  /** An app with one connection (whose backend the test can name), its org and a write token. */
  async function start(env: Record<string, string> = {}, url = testDatabase().url) {
    const t = await startTestApp(env, { ...testDatabase(), url, poolSize: 1 });
    apps.push(t);
    const org = await createOrg(t.app, 'faults');
    const { secret } = await createToken(t.app, org);
    const ingest = (ref = `fault-${++refs}`) =>
      t
        .http()
        .post(INGEST)
        .set('Authorization', `Bearer ${secret}`)
        .send({ repo_full_name: 'faults/app', environment: 'production', deployed_at: new Date().toISOString(), external_ref: ref });
    const stored = async (ref: string) => (await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM dora_deployments WHERE tenant_id = $1 AND external_ref = $2`, [org.id, ref]))[0]!.n;
    const backend = async () => (await t.app.get(DataSource).query<{ pid: number }[]>('SELECT pg_backend_pid() AS pid'))[0]!.pid;
    const waitingOnLock = (pid: number) =>
      until(`backend ${pid} to wait on a lock`, async () => ((await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`, [pid]))[0]!.n ? true : undefined));
    return { t, org, ingest, stored, backend, waitingOnLock };
  }

  async function lock(org: Tenant) {
    const held = await lockOrg(org);
    locks.push(held);
    return held;
  }

  afterEach(async () => {
    await Promise.all(locks.splice(0).map((held) => held.release()));
  });
  afterAll(async () => {
    await Promise.all(apps.map((t) => t.close().catch(() => undefined)));
  });

  describe('when it is unreachable', () => {
    let proxy: Awaited<ReturnType<typeof startDatabaseProxy>>;
    beforeAll(async () => {
      proxy = await startDatabaseProxy(new URL(testDatabase().url));
    });
    afterAll(async () => {
      proxy.setDown(true);
      await Promise.all(apps.splice(0).map((t) => t.close().catch(() => undefined)));
      await proxy.close();
    });

    it('answers /readyz and ingest 503 with Retry-After, /healthz 200, and works again once it is back', async () => {
      const { t, ingest, stored } = await start({}, proxy.url);
      await t.http().get('/readyz').expect(200);
      proxy.setDown(true);
      expectRetryLater(await t.http().get('/readyz'));
      expectRetryLater(await ingest('while-away'));
      await t.http().get('/healthz').expect(200);
      proxy.setDown(false);
      await until('readiness', async () => ((await t.http().get('/readyz')).status === 200 ? true : undefined));
      expect((await ingest('after-return')).status).toBe(201);
      expect(await stored('while-away')).toBe(0);
    });
  });

  // PGlite (the embedded default) is one session, in a worker of the service's own process: no backend to drop, no
  // other session to hold a lock. On PostgreSQL, sessions and their backends are the service's to lose.
  if (onPostgres) {
    describe('its connections dropped, or waiting behind a lock', () => {
      it('keeps running when the database drops an idle connection (57P01), and serves the next requests', async () => {
        const { t, ingest, backend } = await start();
        expect((await ingest()).status).toBe(201);
        const pid = await backend();
        const [{ terminated }] = await t.ownerQuery<{ terminated: boolean }>('SELECT pg_terminate_backend($1) AS terminated', [pid]);
        expect(terminated).toBe(true);
        // The broken connection may be handed out once before the pool notices: then a 503, never a 500.
        const answer = await until('an acknowledged ingest', async () => {
          const res = await ingest();
          if (res.status !== 201) expectRetryLater(res);
          return res.status === 201 ? res : undefined;
        });
        expect(answer.body.deduped).toBe(false);
        expect(await backend()).not.toBe(pid);
      });

      it('keeps running when the database drops a connection held between two statements of a transaction', async () => {
        const { t, ingest } = await start();
        // The dropped connection emits 'error' while no query runs on it: heard, it ends nothing but itself.
        const runner = t.app.get(DataSource).createQueryRunner();
        await runner.connect();
        await runner.startTransaction();
        const [{ pid }] = await runner.query('SELECT pg_backend_pid() AS pid');
        await t.ownerQuery('SELECT pg_terminate_backend($1)', [pid]);
        await until('the backend to end', async () => ((await t.ownerQuery<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [pid]))[0]!.n === 0 ? true : undefined));
        await expect(runner.query('SELECT 1')).rejects.toThrow();
        await runner.rollbackTransaction().catch(() => undefined);
        await runner.release();
        await until('an acknowledged ingest', async () => ((await ingest()).status === 201 ? true : undefined));
      });

      it('answers 503 with Retry-After, and writes nothing, when its connection is dropped in the middle of a request', async () => {
        const { t, org, ingest, stored, backend, waitingOnLock } = await start();
        const pid = await backend();
        const held = await lock(org);
        const pending = ingest('dropped-midway').then((res) => res);
        await waitingOnLock(pid);
        await t.ownerQuery('SELECT pg_terminate_backend($1)', [pid]);
        expectRetryLater(await pending);
        await held.release();
        expect(await stored('dropped-midway')).toBe(0);
        expect((await ingest('dropped-midway')).status).toBe(201);
      });

      it('cancels a statement that waits longer than DATABASE_STATEMENT_TIMEOUT_MS: 503 with Retry-After while the lock is still held, nothing written', async () => {
        const { org, ingest, stored } = await start({ DATABASE_STATEMENT_TIMEOUT_MS: '300' });
        const held = await lock(org);
        expectRetryLater(await ingest('behind-a-lock'));
        await held.release();
        expect(await stored('behind-a-lock')).toBe(0);
        expect((await ingest('behind-a-lock')).status).toBe(201);
      });

      it('waits at most DATABASE_ACQUIRE_TIMEOUT_MS for a connection: 503 with Retry-After while the only one is busy', async () => {
        const { org, ingest, stored, backend, waitingOnLock } = await start({ DATABASE_ACQUIRE_TIMEOUT_MS: '300', DATABASE_STATEMENT_TIMEOUT_MS: '600000' });
        const pid = await backend();
        const held = await lock(org);
        const first = ingest('first').then((res) => res);
        await waitingOnLock(pid); // the pool's only connection is busy
        expectRetryLater(await ingest('second'));
        await held.release();
        expect((await first).status).toBe(201);
        expect(await stored('second')).toBe(0);
      });
    });
  }
});
