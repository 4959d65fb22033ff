import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { payloadFor, sign } from './support/fake-forgejo.js';
import { runCli, type ServerProcess, startServer } from './support/processes.js';
import { sample } from './support/prometheus.js';
import { postgresServerEnv } from './support/test-database.js';
import { createOrg, createToken, startTestApp, type TestApp, uniqueSlug } from './support/test-app.js';

describe('GET /metrics', () => {
  let t: TestApp;
  let org: Tenant;
  let write: string;

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: 'scrape-secret-1234' });
    org = await createOrg(t.app, 'scraped');
    ({ secret: write } = await createToken(t.app, org, ['findings:write']));
  });
  afterAll(() => t.close());

  const scrape = async () => (await t.http().get('/metrics').set('Authorization', 'Bearer scrape-secret-1234').expect(200).expect('Content-Type', /^text\/plain; version=0\.0\.4/)).text;

  it('refuses a scrape without the METRICS_TOKEN, or with another one', async () => {
    for (const authorization of [undefined, 'Bearer wrong', 'Bearer scrape-secret-12345', 'scrape-secret-1234']) {
      const req = t.http().get('/metrics');
      const res = await (authorization ? req.set('Authorization', authorization) : req).expect(401);
      expect(res.body.error).toEqual({ code: 'unauthenticated', message: 'Send Authorization: Bearer <METRICS_TOKEN>' });
    }
  });

  it('counts ingested deployments by source, dedupe hits, and requests by route pattern and status', async () => {
    const before = await scrape();
    const body = { repo_full_name: 'acme/web', environment: 'production', deployed_at: new Date(Date.now() - 60_000).toISOString(), external_ref: uniqueSlug('m') };
    const ingest = () => t.http().post('/api/v1/dora/deployments').set('Authorization', `Bearer ${write}`).send(body);
    await ingest().expect(201);
    await ingest().expect(200);
    await ingest().expect(200);
    await t.http().post('/api/v1/dora/deployments').send(body).expect(401);
    await t.http().get(`/api/v1/orgs/${org.slug}/dora/summary`).expect(401);
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('dora_deployments_ingested_total', { source: 'api' })).toBe(1);
    expect(delta('dora_ingest_dedupe_hits_total', { source: 'api' })).toBe(2);
    expect(delta('dora_http_requests_total', { route: '/api/v1/dora/deployments', status: '201' })).toBe(1);
    expect(delta('dora_http_requests_total', { route: '/api/v1/dora/deployments', status: '200' })).toBe(2);
    expect(delta('dora_http_requests_total', { route: '/api/v1/dora/deployments', status: '401' })).toBe(1);
    // The route pattern, not the URL with the slug in it: series stay few.
    expect(delta('dora_http_requests_total', { route: '/api/v1/orgs/:slug/dora/summary', status: '401' })).toBe(1);
    expect(after).not.toContain(org.slug);
    expect(delta('dora_http_request_duration_seconds_count', { route: '/api/v1/dora/deployments', method: 'POST' })).toBe(4);
  });

  it('shows the database pool and the Node process', async () => {
    const text = await scrape();
    expect(sample(text, 'dora_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    expect(text).toMatch(/^dora_db_pool_connections\{state="waiting"\} \d+$/m);
    expect(sample(text, 'dora_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    expect(text).toMatch(/^dora_nodejs_eventloop_lag_p99_seconds \S+$/m);
  });
});

describe('security headers and CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'https://portal.example.com' });
  });
  afterAll(() => t.close());

  it('sends helmet’s headers and no X-Powered-By, on the dashboard and on the API', async () => {
    for (const path of ['/', '/api/v1/status']) {
      const res = await t.http().get(path).expect(200);
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['strict-transport-security']).toBeUndefined(); // served over http here
    }
  });

  it('allows only the configured origins', async () => {
    const allowed = await t.http().options('/api/v1/status').set('Origin', 'https://portal.example.com').set('Access-Control-Request-Method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://portal.example.com');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const other = await t.http().get('/api/v1/status').set('Origin', 'https://evil.example.com');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends no CORS header at all when no origin is configured', async () => {
    const plain = await startTestApp();
    try {
      const res = await plain.http().get('/api/v1/status').set('Origin', 'https://portal.example.com').expect(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});

/** The logs of a real server process, as an operator's log pipeline receives them. */
describe('structured logs', () => {
  let env: Record<string, string>;
  let scratch: string | undefined;
  let server: ServerProcess;
  let output = '';
  const slug = uniqueSlug('logs');
  const password = 'a password that must not be logged';
  let token = '';
  let reader = '';
  let signature = '';
  let sessionCookie = '';

  beforeAll(async () => {
    if (process.env.DORA_TEST_DATABASE_KIND === 'postgresql') {
      env = postgresServerEnv();
    } else {
      scratch = await mkdtemp(join(tmpdir(), 'dora-logs-'));
      env = { DORA_DATA_DIR: scratch };
    }
    expect((await runCli(['orgs:create', slug, '--name', 'Logs'], env)).code).toBe(0);
    expect((await runCli(['users:create', `admin@${slug}.test`, '--org', slug, '--role', 'admin', '--password', password], env)).code).toBe(0);
    token = (JSON.parse((await runCli(['tokens:create', '--org', slug, '--name', 'ci', '--scope', 'findings:write', '--json'], env)).stdout) as { secret: string }).secret;
    reader = (JSON.parse((await runCli(['tokens:create', '--org', slug, '--name', 'r', '--scope', 'dora:read', '--json'], env)).stdout) as { secret: string }).secret;

    server = await startServer({ ...env, LOG_LEVEL: 'info', FORGEJO_WEBHOOK_SECRET: 'webhook-secret-for-logs' });
    const post = (path: string, body: string, headers: Record<string, string>) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });

    const ingest = await post('/api/v1/dora/deployments', JSON.stringify({ repo_full_name: `${slug}/web`, environment: 'production', deployed_at: new Date().toISOString() }), {
      Authorization: `Bearer ${token}`,
      'X-Request-Id': 'trace-from-ci-42',
    });
    expect(ingest.status).toBe(201);
    expect(ingest.headers.get('x-request-id')).toBe('trace-from-ci-42');
    const login = await post('/api/v1/auth/login', JSON.stringify({ email: `admin@${slug}.test`, password }), {});
    expect(login.status).toBe(200);
    sessionCookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`${server.url}/api/v1/auth/me`, { headers: { Cookie: sessionCookie } })).status).toBe(200);
    const wrong = await post('/api/v1/auth/login', JSON.stringify({ email: `admin@${slug}.test`, password: `${password}!` }), {});
    expect(wrong.status).toBe(401);
    const payload = payloadFor('release-published.json', slug); // bytes of its own: a replayed body would be a 200
    signature = sign(payload, 'webhook-secret-for-logs');
    const hook = await post('/api/v1/webhooks/forgejo', payload.toString('utf8'), { 'X-Forgejo-Event': 'release', 'X-Forgejo-Delivery': uniqueSlug('d'), 'X-Forgejo-Signature': signature });
    expect(hook.status).toBe(202);
    const refused = await post('/api/v1/webhooks/forgejo', payload.toString('utf8'), { 'X-Forgejo-Event': 'release', 'X-Forgejo-Delivery': uniqueSlug('d'), 'X-Forgejo-Signature': '00'.repeat(32) });
    expect(refused.status).toBe(401);

    expect(await server.stop('SIGTERM')).toBe(0);
    output = server.output();
  });
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const lines = () => output.split('\n').filter((line) => line.trim() !== '');
  const records = () => lines().map((line) => JSON.parse(line) as Record<string, unknown>);

  it('writes every line as one JSON object with a time, a level and a message', () => {
    expect(lines().length).toBeGreaterThan(5);
    for (const record of records()) {
      expect(record).toMatchObject({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: expect.stringMatching(/^(info|warn|error)$/), service: 'dora', msg: expect.any(String) });
    }
  });

  it('logs each request once with its request id, the caller’s when it sent one', async () => {
    const requests = records().filter((record) => typeof record['req'] === 'object');
    const ingest = requests.filter((record) => String(record['msg']).startsWith('POST /api/v1/dora/deployments'));
    expect(ingest).toEqual([expect.objectContaining({ request_id: 'trace-from-ci-42', res: { status: 201 } })]);
    for (const record of requests) expect(record['request_id']).toEqual(expect.stringMatching(/^[A-Za-z0-9._:-]+$/));
    const ids = requests.map((record) => record['request_id']);
    expect(new Set(ids).size).toBe(ids.length);
    // … and the audit event the request wrote carries the same id.
    const restarted = await startServer(env);
    try {
      const res = await fetch(`${restarted.url}/api/v1/orgs/${slug}/audit?action=api.dora.deployments.ingested`, { headers: { Authorization: `Bearer ${reader}` } });
      const { items } = (await res.json()) as { items: { request_id: string; actor: { type: string } }[] };
      expect(items.filter((event) => event.actor.type === 'token').map((event) => event.request_id)).toEqual(['trace-from-ci-42']);
    } finally {
      await restarted.stop();
    }
  });

  it('never logs a token, a password, a session cookie, a signature or a header', () => {
    for (const secret of [token, password, sessionCookie.split('=')[1]!, signature, 'webhook-secret-for-logs']) {
      expect(output).not.toContain(secret);
    }
    expect(output.toLowerCase()).not.toContain('authorization');
    expect(output.toLowerCase()).not.toContain('cookie');
  });

  it('says what it is doing at start and stop', () => {
    const messages = records().map((record) => String(record['msg']));
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/^database: /), expect.stringMatching(/^listening on http/), 'SIGTERM: stopping', 'stopped']));
  });
});
