import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateAsOwner } from '../src/database/migrate.js';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
// eslint-disable-next-line @nx/enforce-module-boundaries -- private clusters are a workspace tool (tools/postgres), shared with the chaos harness
import { canCreateClusters, createCluster, createDatabase, createStandby } from '../../../tools/postgres/clusters.mjs';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';
import { until } from './support/until.js';

/*
 * Metric reads on a real hot standby (`pg_basebackup -R` of a private primary): served there, under
 * the same tenant context and row-level security; behind the primary while its replay is paused, but
 * never with an org configuration older than the primary's; on the primary while the standby is away.
 */

type Cluster = Awaited<ReturnType<typeof createCluster>>;

const onPostgres = process.env.DORA_TEST_DATABASE_KIND === 'postgresql';

describe(`metric reads without a read replica (${process.env.DORA_TEST_DATABASE_KIND})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers from the primary, as of the moment the read began, and /readyz names no replica', async () => {
    const org = await createOrg(t.app, 'primary-reads');
    const { secret } = await createToken(t.app, org, ['dora:read']);
    const before = Date.now();
    const res = await t.http().get(`/api/v1/orgs/${org.slug}/dora/summary`).set('Authorization', `Bearer ${secret}`).expect(200);
    const asOf = Date.parse(res.headers['data-as-of'] as string);
    expect(asOf).toBeGreaterThanOrEqual(before);
    expect(asOf).toBeLessThanOrEqual(Date.now());
    expect((await t.http().get('/readyz').expect(200)).body).toEqual({ status: 'ready' });
  });
});

if (onPostgres && canCreateClusters()) {
  describe('metric reads on a read replica', () => {
    let primary: Cluster;
    let standby: Cluster;
    let t: TestApp;
    let org: Tenant;
    let other: Tenant;
    let writer: string;
    let reader: string;
    let admin: string;
    let refs = 0;
    const logs: string[] = [];

    const ingest = (token = writer) =>
      t
        .http()
        .post('/api/v1/dora/deployments')
        .set('Authorization', `Bearer ${token}`)
        .send({ repo_full_name: 'acme/web', environment: 'production', deployed_at: new Date(Date.now() - 60_000).toISOString(), external_ref: `replica-${++refs}` })
        .expect(201);
    const summary = (token = reader, slug = org.slug) => t.http().get(`/api/v1/orgs/${slug}/dora/summary?environment=production`).set('Authorization', `Bearer ${token}`).expect(200);
    const deployments = async (token = reader, slug = org.slug) => (await summary(token, slug)).body.change_failure_rate.total as number;
    const replicaState = async () => (await t.http().get('/readyz').expect(200)).body.read_replica as { state: string; lag_seconds: number | null };
    const onStandby = (sql: string) => standby.query<{ s: string; n: number }>(sql, [], 'replica_test');
    /** Runs `check` while the standby replays nothing, and lets it replay again whatever happens. */
    async function whileReplayPaused(check: () => Promise<void>): Promise<void> {
      await onStandby('SELECT pg_wal_replay_pause()');
      try {
        await until('replay paused', async () => ((await onStandby('SELECT pg_get_wal_replay_pause_state() AS s'))[0].s === 'paused' ? true : undefined));
        await check();
      } finally {
        await onStandby('SELECT pg_wal_replay_resume()');
      }
    }

    beforeAll(async () => {
      primary = await createCluster();
      const urls = await createDatabase(primary, 'replica_test');
      const primaryDatabase = { kind: 'postgresql' as const, url: urls.DATABASE_URL, poolSize: 5, owned: true, description: 'replica test primary', close: async () => undefined };
      await migrateAsOwner(primaryDatabase, urls.DATABASE_MIGRATE_URL);
      standby = await createStandby(primary);
      const readUrl = urls.DATABASE_URL.replace(`:${primary.port}/`, `:${standby.port}/`);
      t = await startTestApp(
        { DATABASE_URL: urls.DATABASE_URL, DATABASE_READ_URL: readUrl, DATABASE_READ_MAX_LAG_SECONDS: '3600' },
        primaryDatabase,
      );
      t.app.useLogger({ log: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) });
      org = await createOrg(t.app, 'replica');
      other = await createOrg(t.app, 'replica-other');
      writer = (await createToken(t.app, org)).secret;
      reader = (await createToken(t.app, org, ['dora:read'])).secret;
      admin = (await createToken(t.app, org, ['dora:read', 'dora:admin'])).secret;
    }, 240_000);

    afterAll(async () => {
      await t?.close();
      await standby?.remove();
      await primary?.remove();
    }, 120_000);

    it('serves the reads from the standby once it has replayed the writes, and says as of when', async () => {
      for (let i = 0; i < 3; i++) await ingest();
      await until('the replica in use', async () => ((await replicaState()).state === 'in use' ? true : undefined));
      await until('the standby to hold the three deployments', async () => ((await deployments()) === 3 ? true : undefined));

      // Replay paused: a new write reaches the primary only, and the reads do not see it — they are the standby's.
      await whileReplayPaused(async () => {
        const pausedAt = Date.now();
        await ingest();
        const behind = await summary();
        expect(behind.body.change_failure_rate.total).toBe(3);
        expect(Date.parse(behind.headers['data-as-of'] as string)).toBeLessThanOrEqual(pausedAt);
      });
      await until('the standby to replay the fourth deployment', async () => ((await deployments()) === 4 ? true : undefined));
    });

    it('keeps an org that changed its settings on the primary until the standby has the change', async () => {
      await until('the standby caught up', async () => ((await deployments()) === 4 ? true : undefined));
      await whileReplayPaused(async () => {
        await ingest();
        await t.http().put(`/api/v1/orgs/${org.slug}/dora/settings`).set('Authorization', `Bearer ${admin}`).send({ window_days: 90 }).expect(200);

        // The standby still has the old configuration: the org reads on the primary (the fifth deployment and the new window).
        const fresh = await summary();
        expect(fresh.body.change_failure_rate.total).toBe(5);
        expect(fresh.body.window.days).toBe(90);
      });
    });

    it('applies the tenant context and row-level security on the standby', async () => {
      const otherReader = (await createToken(t.app, other, ['dora:read'])).secret;
      await until('the replica in use', async () => ((await replicaState()).state === 'in use' ? true : undefined));
      await until('the standby to hold the other org', async () =>
        (await onStandby(`SELECT count(*)::int AS n FROM tenants WHERE id = '${other.id}'`))[0].n === 1 ? true : undefined,
      );
      expect(await deployments(otherReader, other.slug)).toBe(0);
      await t.http().get(`/api/v1/orgs/${org.slug}/dora/summary?environment=production`).set('Authorization', `Bearer ${otherReader}`).expect(404);
    });

    it('reads on the primary while the standby is away, says so once, and goes back to it when it returns', async () => {
      await until('the standby caught up', async () => ((await deployments()) === 5 ? true : undefined));
      await standby.stop('fast');
      await ingest();
      // Reads answer from the primary meanwhile, with everything acknowledged.
      expect(await deployments()).toBe(6);
      await until('the replica seen unreachable', async () => ((await replicaState()).state === 'unreachable' ? true : undefined));
      expect(await deployments()).toBe(6);
      expect(logs.filter((line) => /read replica unreachable/.test(line))).toHaveLength(1);
      const metrics = await t.http().get('/metrics').expect(200);
      expect(metrics.text).toMatch(/^dora_db_replica_in_use 0$/m);

      await standby.start();
      await until('the replica in use again', async () => ((await replicaState()).state === 'in use' ? true : undefined));
      await until('the standby to replay the sixth deployment', async () => ((await deployments()) === 6 ? true : undefined));
      const ready = await replicaState();
      expect(ready.lag_seconds).toBeGreaterThanOrEqual(0);
      expect((await t.http().get('/metrics').expect(200)).text).toMatch(/^dora_db_replica_in_use 1$/m);
    });
  });
}
