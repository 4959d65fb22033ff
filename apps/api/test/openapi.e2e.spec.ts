import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { UsersService } from '../src/modules/auth/users.service.js';
import { CONTRACT_SCHEMAS } from '../src/openapi/contract-schemas.generated.js';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

interface Operation {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: unknown;
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: { 'application/json'?: { schema: object } } }>;
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

/**
 * The document's schema as plain JSON Schema for Ajv. OpenAPI 3.0 says "may also be null" with
 * `nullable: true`, also beside an `allOf: [{ $ref }]` (a nullable named type, as the generated contract
 * schemas write it); Ajv's own `nullable` keyword needs a `type` beside it and cannot check that form,
 * so each nullable schema becomes `anyOf: [schema, { type: 'null' }]` — the meaning 3.0 gives it.
 */
function asJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(asJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const { nullable, ...rest } = schema as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, ['enum', 'default', 'example', 'required'].includes(key) ? value : asJsonSchema(value)]));
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

/** Every `$ref` under a value of the document. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner)));
}

/** Routes anyone may call; each still documents how it is protected, if at all. */
const PUBLIC = new Set(['GET /healthz', 'GET /readyz', 'GET /api/v1/status', 'POST /api/v1/auth/login', 'POST /api/v1/auth/token-exchange', 'GET /metrics', 'GET /reporter.mjs', 'GET /api/v1/orgs/{slug}/dora/badge.svg']);

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let org: Tenant;
  let write: string;
  let admin: string;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http().get('/api/openapi.json').expect(200).expect('Content-Type', /json/)).body;
    for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(asJsonSchema(schema) as object, `#/components/schemas/${name}`);
    org = await createOrg(t.app, 'openapi');
    ({ secret: write } = await createToken(t.app, org, ['findings:write']));
    ({ secret: admin } = await createToken(t.app, org, ['dora:read', 'dora:admin']));
  });
  afterAll(() => t.close());

  /** Every route Express serves, as "METHOD /path/{param}", from the router itself. */
  function servedRoutes(): string[] {
    const router = (t.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
    return router.stack
      .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`) : []))
      .filter((route) => !route.includes('/api/docs') && !route.startsWith('GET /api/openapi') && route !== 'GET {*any}');
  }

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })));

  it('documents exactly the routes the server serves', () => {
    const served = servedRoutes();
    expect(served.length).toBeGreaterThan(20);
    expect(operations().map((o) => o.route).sort()).toEqual([...served].sort());
  });

  it('gives every operation a summary, a tag, a success answer with its schema, and the errors of its auth', () => {
    for (const { route, operation } of operations()) {
      const context = `${route}: `;
      expect(context + (operation.summary ?? '')).not.toBe(context);
      expect([route, operation.tags?.length]).toEqual([route, 1]);
      const success = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
      expect([route, success.length > 0]).toEqual([route, true]);
      for (const status of success.filter((s) => s !== '204')) {
        const content = operation.responses[status]!.content as Record<string, { schema?: object }> | undefined;
        const TEXT: Record<string, string> = {
          'GET /api/v1/orgs/{slug}/dora/metrics': 'text/plain; version=0.0.4',
          'GET /reporter.mjs': 'text/javascript',
          'GET /api/v1/orgs/{slug}/dora/badge.svg': 'image/svg+xml',
        };
        const type = route.endsWith('.csv') ? 'text/csv' : (TEXT[route] ?? 'application/json');
        const documented = content?.[type]?.schema !== undefined || route === 'GET /metrics';
        expect([route, status, documented]).toEqual([route, status, true]);
      }
      if (!PUBLIC.has(route)) {
        expect([route, (operation.security ?? []).length > 0]).toEqual([route, true]);
        expect([route, '401' in operation.responses]).toEqual([route, true]);
      }
      // The badge answers an unknown org as a wrong key (401): its URL tells nothing of which orgs exist.
      if (route.includes('{slug}') && !route.endsWith('/badge.svg')) expect([route, '404' in operation.responses]).toEqual([route, true]);
      if (route.startsWith('POST') || route.startsWith('PUT')) expect([route, '400' in operation.responses || !operation.requestBody]).toEqual([route, true]);
    }
  });

  it('answers with the schemas generated from the contract: every response names one, every reference resolves', () => {
    const contract = new Set(Object.keys(CONTRACT_SCHEMAS));
    for (const [name, schema] of Object.entries(CONTRACT_SCHEMAS)) expect([name, doc.components.schemas[name]]).toEqual([name, schema]);
    for (const { route, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const schema = response.content?.['application/json']?.schema as { $ref?: string } | undefined;
        if (schema === undefined) continue;
        const name = schema.$ref?.replace('#/components/schemas/', '');
        expect([route, status, name !== undefined && contract.has(name)]).toEqual([route, status, true]);
      }
    }
    for (const ref of refsIn(doc)) expect([ref, ref.replace('#/components/schemas/', '') in doc.components.schemas]).toEqual([ref, true]);
  });

  it('states the ingest body from the validators: required fields, patterns and formats', () => {
    const body = doc.components.schemas['CreateDeploymentDto'] as { required: string[]; properties: Record<string, { type: string; pattern?: string; format?: string }> };
    expect(body.required.sort()).toEqual(['deployed_at', 'environment', 'repo_full_name']);
    expect(body.properties['deployed_at']).toMatchObject({ type: 'string', format: 'date-time' });
    expect(body.properties['success']).toMatchObject({ type: 'boolean' });
    expect(new RegExp(body.properties['commit_sha']!.pattern!).test('abc1234')).toBe(true);
    expect(new RegExp(body.properties['commit_sha']!.pattern!).test('xyz')).toBe(false);
    const series = doc.paths['/api/v1/orgs/{slug}/dora/series']!['get']!.parameters!.map((p) => `${p.in}:${p.name}`);
    expect(series.sort()).toEqual(['path:slug', 'query:as_of', 'query:days', 'query:environment', 'query:interval', 'query:periods', 'query:repo', 'query:service', 'query:team']);
    const performers = doc.paths['/api/v1/orgs/{slug}/dora/performers']!['get']!.parameters!.map((p) => `${p.in}:${p.name}`);
    expect(performers.sort()).toEqual(['path:slug', 'query:as_of', 'query:basis', 'query:by', 'query:environment', 'query:months', 'query:repo', 'query:service', 'query:team']);
  });

  it('is browsable at /api/docs under the service’s content security policy', async () => {
    const page = await t.http().get('/api/docs/').expect(200);
    expect(page.text).toContain('swagger-ui-init.js');
    expect(page.text).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script: the CSP forbids it
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    await t.http().get('/api/docs/swagger-ui-init.js').expect(200).expect('Content-Type', /javascript/);
  });

  describe('real answers match their documented schemas', () => {
    function expectDocumented(method: string, path: string, res: Response): void {
      const operation = doc.paths[path]?.[method];
      const schema = operation?.responses[String(res.status)]?.content?.['application/json']?.schema;
      expect([method, path, res.status, schema !== undefined]).toEqual([method, path, res.status, true]);
      const validate = ajv.compile(asJsonSchema(schema) as object);
      const valid = validate(res.body);
      expect([method, path, res.status, valid ? [] : validate.errors]).toEqual([method, path, res.status, []]);
    }
    const orgPath = (rest: string) => `/api/v1/orgs/{slug}/${rest}`;
    const asAdmin = (req: ReturnType<ReturnType<TestApp['http']>['get']>) => req.set('Authorization', `Bearer ${admin}`);

    it('ingest: stored, replayed, refused', async () => {
      const body = { repo_full_name: 'acme/web', environment: 'production', deployed_at: new Date(Date.now() - 60_000).toISOString(), commit_sha: 'abc1234', committed_at: new Date(Date.now() - 3_600_000).toISOString(), external_ref: 'openapi-1' };
      const send = (b: object, token = write) => t.http().post('/api/v1/dora/deployments').set('Authorization', `Bearer ${token}`).send(b);
      expectDocumented('post', '/api/v1/dora/deployments', await send(body).expect(201));
      expectDocumented('post', '/api/v1/dora/deployments', await send(body).expect(200));
      expectDocumented('post', '/api/v1/dora/deployments', await send({ ...body, success: 'yes' }).expect(400));
      expectDocumented('post', '/api/v1/dora/deployments', await send(body, 'ffp_nonsense').expect(401));
      expectDocumented('post', '/api/v1/dora/deployments', await send(body, admin).expect(403));
      await send({ ...body, success: false, external_ref: 'openapi-2', deployed_at: new Date(Date.now() - 120_000).toISOString() }).expect(201);
    });

    it('the read API, settings, tokens and audit log', async () => {
      const slug = org.slug;
      for (const rest of ['dora/summary', 'dora/series?days=7', 'dora/series?interval=month&periods=3', 'dora/comparison', 'dora/performers?by=team&basis=change', 'dora/repos', 'dora/deployments', 'dora/environments', 'dora/settings', 'tokens', 'audit', 'identity-providers', 'forgejo-owners', 'webhooks/deliveries']) {
        const res = await asAdmin(t.http().get(`/api/v1/orgs/${slug}/${rest}`)).expect(200);
        expectDocumented('get', orgPath(rest.split('?')[0]!), res);
      }
      const [first] = (await asAdmin(t.http().get(`/api/v1/orgs/${slug}/dora/deployments`)).expect(200)).body.items;
      expectDocumented('get', orgPath('dora/deployments/{id}'), await asAdmin(t.http().get(`/api/v1/orgs/${slug}/dora/deployments/${first.id}`)).expect(200));
      expectDocumented('get', orgPath('dora/summary'), await asAdmin(t.http().get(`/api/v1/orgs/no-such-org/dora/summary`)).expect(404));
      const put = await t.http().put(`/api/v1/orgs/${slug}/dora/settings`).set('Authorization', `Bearer ${admin}`).send({ timezone: 'Europe/Berlin' }).expect(200);
      expectDocumented('put', orgPath('dora/settings'), put);
      const minted = await t.http().post(`/api/v1/orgs/${slug}/tokens`).set('Authorization', `Bearer ${admin}`).send({ name: 'ci', scopes: ['findings:write'] }).expect(201);
      expectDocumented('post', orgPath('tokens'), minted);
      const rotated = await t.http().post(`/api/v1/orgs/${slug}/tokens/${minted.body.token.id}/rotate`).set('Authorization', `Bearer ${admin}`).send({ grace_hours: 1 }).expect(201);
      expectDocumented('post', orgPath('tokens/{id}/rotate'), rotated);
      expectDocumented('delete', orgPath('tokens/{id}'), await t.http().delete(`/api/v1/orgs/${slug}/tokens/${rotated.body.token.id}`).set('Authorization', `Bearer ${admin}`).expect(200));
    });

    it('sign-in, status and health', async () => {
      const email = `admin@${org.slug}.test`;
      await t.app.get(UsersService).addToOrg({ email, tenantId: org.id, role: 'admin', password: 'correct horse battery staple' }, { type: 'system', id: 'cli' });
      const login = await t.http().post('/api/v1/auth/login').send({ email, password: 'correct horse battery staple' }).expect(200);
      expectDocumented('post', '/api/v1/auth/login', login);
      expectDocumented('post', '/api/v1/auth/login', await t.http().post('/api/v1/auth/login').send({ email, password: 'wrong' }).expect(401));
      const cookie = (login.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
      expectDocumented('get', '/api/v1/auth/me', await t.http().get('/api/v1/auth/me').set('Cookie', cookie).expect(200));
      expectDocumented('get', '/api/v1/status', await t.http().get('/api/v1/status').expect(200));
      expectDocumented('get', '/healthz', await t.http().get('/healthz').expect(200));
      expectDocumented('get', '/readyz', await t.http().get('/readyz').expect(200));
      expectDocumented('post', '/api/v1/auth/token-exchange', await t.http().post('/api/v1/auth/token-exchange').send({ subject_token: 'x' }).expect(400));
    });
  });
});
