import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsersService } from '../src/modules/auth/users.service.js';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { FakeForgejo, forgejoEnv, forgejoHeaders, payloadFor } from './support/fake-forgejo.js';
import { runCli, type ServerProcess, startServer } from './support/processes.js';
import { ForgejoOwnersService } from '../src/modules/webhook/forgejo-owners.service.js';
import { postgresServerEnv } from './support/test-database.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

const PASSWORD = 'two instances, one service';

const onPostgres = process.env.DORA_TEST_DATABASE_KIND === 'postgresql';

/** Two real server processes on the run's PostgreSQL, as two replicas behind a load balancer. */
function twoInstancesOnPostgres() {
  const fake = new FakeForgejo();
  let t: TestApp;
  let a: ServerProcess;
  let b: ServerProcess;
  let org: Tenant;
  let write: string;
  let admin: string;

  beforeAll(async () => {
    await fake.start();
    t = await startTestApp();
    org = await createOrg(t.app, 'replicas');
    await t.app.get(ForgejoOwnersService).map(org.id, org.slug, { type: 'system', id: 'cli' });
    ({ secret: write } = await createToken(t.app, org, ['findings:write']));
    ({ secret: admin } = await createToken(t.app, org, ['dora:read', 'dora:admin']));
    await t.app.get(UsersService).addToOrg({ email: `admin@${org.slug}.test`, tenantId: org.id, role: 'admin', password: PASSWORD }, { type: 'system', id: 'cli' });
    const env = { ...postgresServerEnv(), DATABASE_POOL_SIZE: '4', ...forgejoEnv(fake) };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await t?.close();
    await fake.stop();
  });

  const api = (server: ServerProcess, path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { 'Content-Type': 'application/json', ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}), ...(init.headers as Record<string, string>) },
    });

  it('one external_ref reported through both at once is one deployment', async () => {
    const body = JSON.stringify({ repo_full_name: `${org.slug}/web`, environment: 'production', deployed_at: new Date().toISOString(), external_ref: 'pipeline-7781' });
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => api(i % 2 ? a : b, '/api/v1/dora/deployments', { method: 'POST', token: write, body })));
    const bodies = (await Promise.all(answers.map((res) => res.json()))) as { id: string; deduped: boolean }[];
    expect(answers.map((res) => res.status).sort()).toEqual([...Array(15).fill(200), 201].sort());
    expect(new Set(bodies.map((answer) => answer.id)).size).toBe(1);
    expect(bodies.filter((answer) => !answer.deduped)).toHaveLength(1);
    const listed = (await (await api(a, `/api/v1/orgs/${org.slug}/dora/deployments?repo=${org.slug}/web`, { token: admin })).json()) as { items: unknown[] };
    expect(listed.items).toHaveLength(1);
  });

  it('a session made on one works on the other, and signing out on the other ends it on both', async () => {
    const login = await api(a, '/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ email: `admin@${org.slug}.test`, password: PASSWORD }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
    expect((await api(b, '/api/v1/auth/me', { headers: { Cookie: cookie } })).status).toBe(200);
    const changed = await api(b, `/api/v1/orgs/${org.slug}/dora/settings`, { method: 'PUT', headers: { Cookie: cookie, 'X-CSRF-Token': csrf }, body: JSON.stringify({ window_days: 7 }) });
    expect(changed.status).toBe(200);
    expect((await api(b, '/api/v1/auth/logout', { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf } })).status).toBe(204);
    expect((await api(a, '/api/v1/auth/me', { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('a burst of webhook deliveries spread over both is processed exactly once', async () => {
    const ids = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const body = payloadFor('release-published.json', org.slug, `service-${i}`);
        const res = await api(i % 2 ? a : b, '/api/v1/webhooks/forgejo', { method: 'POST', headers: forgejoHeaders(body, 'release'), body: body.toString('utf8') });
        expect(res.status).toBe(202);
        return ((await res.json()) as { id: string }).id;
      }),
    );
    type Delivery = { id: string; status: string; attempts: number; deployment_id: string | null };
    let deliveries: Delivery[] = [];
    for (let i = 0; i < 200; i++) {
      deliveries = ((await (await api(b, `/api/v1/orgs/${org.slug}/webhooks/deliveries?limit=100`, { token: admin })).json()) as { items: Delivery[] }).items;
      if (deliveries.length === ids.length && deliveries.every((delivery) => delivery.status !== 'pending')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(deliveries.map((delivery) => delivery.id).sort()).toEqual([...ids].sort());
    expect(deliveries.map((delivery) => [delivery.status, delivery.attempts])).toEqual(ids.map(() => ['processed', 1]));
    expect(new Set(deliveries.map((delivery) => delivery.deployment_id)).size).toBe(ids.length);
    const releases = (await (await api(a, `/api/v1/orgs/${org.slug}/audit?action=api.dora.deployments.ingested&limit=100`, { token: admin })).json()) as {
      items: { actor: { type: string } }[];
    };
    expect(releases.items.filter((event) => event.actor.type === 'webhook')).toHaveLength(ids.length);
  });
}

/**
 * The embedded default is one server process by design (a second one on its directory is refused:
 * server-process.spec). What it does share is its one database session with the CLI, which works
 * through the running server: both at once must lose and duplicate nothing.
 */
function serverAndCliOnEmbedded() {
  let dataDir: string;
  let env: Record<string, string>;
  let server: ServerProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dora-instances-'));
    env = { DORA_DATA_DIR: dataDir };
    expect((await runCli(['orgs:create', 'busy', '--name', 'Busy'], env)).code).toBe(0); // no first start
    server = await startServer({ ...env, PUBLIC_ORG_DIRECTORY: 'true' }); // its status lists the orgs the CLI made
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('ingest through the server while CLI commands run: every deployment once, every command done', async () => {
    const minted = await runCli(['tokens:create', '--org', 'busy', '--name', 'ci', '--scope', 'findings:write', '--scope', 'dora:read', '--json'], env);
    const { secret } = JSON.parse(minted.stdout) as { secret: string };
    const ingest = (i: number) =>
      fetch(`${server.url}/api/v1/dora/deployments`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ repo_full_name: 'busy/web', environment: 'production', deployed_at: new Date(Date.now() - i * 1000).toISOString(), external_ref: `run-${i % 20}` }),
      }).then((res) => res.status);
    const [statuses, cli] = await Promise.all([
      Promise.all(Array.from({ length: 60 }, (_, i) => ingest(i))),
      Promise.all([
        runCli(['orgs:create', 'also-busy', '--name', 'Also busy'], env),
        runCli(['users:create', 'ops@busy.test', '--org', 'busy', '--role', 'viewer'], env),
        runCli(['tokens:create', '--org', 'busy', '--name', 'second', '--scope', 'dora:read'], env),
      ]),
    ]);
    expect(cli.map((result) => [result.code, result.stderr.replace(/^.*embedded PostgreSQL of the server running on.*\n/m, '')])).toEqual([
      [0, ''],
      [0, ''],
      [0, ''],
    ]);
    expect(statuses.filter((status) => status === 201)).toHaveLength(20);
    expect(statuses.filter((status) => status === 200)).toHaveLength(40);
    const listed = (await (
      await fetch(`${server.url}/api/v1/orgs/busy/dora/deployments?limit=100`, { headers: { Authorization: `Bearer ${secret}` } })
    ).json()) as { items: unknown[] };
    expect(listed.items).toHaveLength(20);
    const status = (await (await fetch(`${server.url}/api/v1/status`)).json()) as { orgs: { slug: string }[] };
    expect(status.orgs.map((org) => org.slug)).toEqual(['also-busy', 'busy']);
  });
}

describe(onPostgres ? 'two instances on one PostgreSQL behave as one service' : 'the server and the CLI on one embedded database', () => {
  if (onPostgres) twoInstancesOnPostgres();
  else serverAndCliOnEmbedded();
});
