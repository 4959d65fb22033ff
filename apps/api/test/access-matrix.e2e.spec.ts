import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { TokensService } from '../src/modules/auth/tokens.service.js';
import { UsersService } from '../src/modules/auth/users.service.js';
import { TenantsService } from '../src/modules/tenancy/tenants.service.js';
import { ForgejoOwnersService } from '../src/modules/webhook/forgejo-owners.service.js';
import { SECRET } from './support/fake-forgejo.js';
import { createToken, startTestApp, uniqueSlug } from './support/test-app.js';

/**
 * Every route the app serves (read from its router, so a new route is covered without touching this
 * file) × every kind of credential → the status it must get; and org A's data never in an answer to
 * org B's credentials. A route this file cannot classify fails the test: decide who may call it.
 */
const t = await startTestApp({ FORGEJO_WEBHOOK_SECRET: SECRET });
const router = (t.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
const routes = router.stack
  .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((method) => ({ method: method.toUpperCase(), path: layer.route!.path })) : []))
  .filter(({ path }) => path !== '{*any}');

type Access =
  | { kind: 'public' } // anyone: health, status, docs, metrics
  | { kind: 'refuses-everyone'; status: number } // answers the same to every credential (its own auth: a body, a signature)
  | { kind: 'org'; scope: 'dora:read' | 'dora:admin' }
  | { kind: 'ingest' } // a findings:write token
  | { kind: 'own-session' };

/** Who may call a route (DESIGN §7). */
function accessOf(method: string, path: string): Access | undefined {
  if (['/healthz', '/readyz', '/metrics', '/api/v1/status', '/reporter.mjs'].includes(path) || path.startsWith('/api/docs') || path.startsWith('/api/openapi')) return { kind: 'public' };
  if (path === '/api/v1/auth/login' || path === '/api/v1/auth/token-exchange') return { kind: 'refuses-everyone', status: 400 }; // an empty body
  if (path === '/api/v1/webhooks/forgejo') return { kind: 'refuses-everyone', status: 401 }; // no signature
  if (path === '/api/v1/orgs/:slug/dora/badge.svg') return { kind: 'refuses-everyone', status: 400 }; // no badge key: no credential stands for one
  if (path === '/api/v1/auth/me' || path === '/api/v1/auth/logout') return { kind: 'own-session' };
  if (method === 'POST' && (path === '/api/v1/dora/deployments' || path === '/api/v1/dora/deployments/batch')) return { kind: 'ingest' };
  if (method === 'GET' && path === '/api/v1/dora/deployments/last') return { kind: 'ingest' }; // its own org's: no more than a commit and a time
  if (path.startsWith('/api/v1/orgs/:slug/')) {
    const administered = /^\/api\/v1\/orgs\/:slug\/(tokens|badge-keys|identity-providers|webhooks|forgejo-owners)(\/|$)/.test(path);
    return { kind: 'org', scope: method === 'GET' && !administered ? 'dora:read' : 'dora:admin' };
  }
  return undefined;
}

interface Credential {
  name: string;
  org: 'A' | 'B' | null;
  /** Scopes it carries (a session's through its role). */
  scopes: string[];
  session?: boolean;
  /** Headers to send (a session's CSRF token on changes). */
  headers(method: string): Promise<Record<string, string>>;
  /** Forgets a session that was signed out. */
  forget?(): void;
}

const PASSWORD = 'a password of the access matrix';
const marker = randomBytes(6).toString('hex');
/** What only org A holds: none of it may reach org B's credentials. */
const secrets = { name: `Secret Org ${marker}`, repo: `matrix-${marker}/private-repo`, issuer: `https://issuer-${marker}.example`, owner: `owner-${marker}`, email: `admin-${marker}@a.test` };

const credentials: Credential[] = [];
const ids: Record<string, string> = {};
let slugA = '';

beforeAll(async () => {
  const tenants = t.app.get(TenantsService);
  const a = await tenants.create({ slug: uniqueSlug('matrix-a'), name: secrets.name }, { type: 'system', id: 'cli' });
  const b = await tenants.create({ slug: uniqueSlug('matrix-b'), name: 'Org B' }, { type: 'system', id: 'cli' });
  slugA = a.slug;
  const users = t.app.get(UsersService);
  await users.addToOrg({ email: secrets.email, tenantId: a.id, role: 'admin', password: PASSWORD }, { type: 'system', id: 'cli' });
  await users.addToOrg({ email: `viewer-${marker}@a.test`, tenantId: a.id, role: 'viewer', password: PASSWORD }, { type: 'system', id: 'cli' });
  await users.addToOrg({ email: `admin-${marker}@b.test`, tenantId: b.id, role: 'admin', password: PASSWORD }, { type: 'system', id: 'cli' });

  const tokensOf = async (tenant: typeof a) => ({
    write: (await createToken(t.app, tenant, ['findings:write'])).secret,
    read: (await createToken(t.app, tenant, ['dora:read'])).secret,
    admin: await createToken(t.app, tenant, ['dora:admin']),
    all: (await createToken(t.app, tenant, ['findings:write', 'dora:read', 'dora:admin'])).secret,
  });
  const tokensA = await tokensOf(a);
  const tokensB = await tokensOf(b);
  const revoked = await createToken(t.app, a, ['findings:write', 'dora:read', 'dora:admin']);
  await t.app.get(TokensService).revokeInOrg(a.id, revoked.id, { type: 'system', id: 'cli' });
  const expired = await createToken(t.app, a, ['findings:write', 'dora:read', 'dora:admin']);
  await t.ownerQuery(`UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expired.id]);
  const { secret: exchanged } = await t.app.get(TokensService).mint(
    {
      tenantId: a.id,
      name: 'exchanged: matrix',
      scopes: ['findings:write'],
      expiresAt: new Date(Date.now() + 600_000),
      createdBy: null,
      exchange: { issuer: secrets.issuer, subject: 'repo:matrix', jti: null, claims: {} },
    },
    { type: 'system', id: 'token-exchange' },
  );

  // Org A's data, with ids B's credentials will ask for.
  const ingested = await t.http().post('/api/v1/dora/deployments').set('Authorization', `Bearer ${tokensA.write}`)
    .send({ repo_full_name: secrets.repo, environment: 'production', deployed_at: new Date().toISOString(), external_ref: `matrix-${marker}` }).expect(201);
  ids.deployment = ingested.body.id;
  ids.token = tokensA.admin.id;
  const idp = await t.http().post(`/api/v1/orgs/${a.slug}/identity-providers`).set('Authorization', `Bearer ${tokensA.admin.secret}`)
    .send({ issuer: secrets.issuer, jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }] }, audience: 'dora', required_claims: { repository_owner: 'a' } })
    .expect(201);
  ids.idp = idp.body.id;
  await t.app.get(ForgejoOwnersService).map(a.id, secrets.owner, { type: 'system', id: 'cli' });

  const bearer = (secret: string) => async () => ({ Authorization: `Bearer ${secret}` });
  const session = (email: string) => {
    let signedIn: { cookie: string; csrf: string } | undefined;
    return {
      session: true,
      async headers(method: string): Promise<Record<string, string>> {
        if (!signedIn) {
          const res = await t.http().post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200);
          signedIn = { cookie: (res.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!, csrf: res.body.csrf_token as string };
        }
        return method === 'GET' ? { Cookie: signedIn.cookie } : { Cookie: signedIn.cookie, 'X-CSRF-Token': signedIn.csrf };
      },
      forget: () => (signedIn = undefined),
    };
  };
  credentials.push(
    { name: 'no credentials', org: null, scopes: [], headers: async () => ({}) },
    { name: 'token of A with findings:write', org: 'A', scopes: ['findings:write'], headers: bearer(tokensA.write) },
    { name: 'token of A with dora:read', org: 'A', scopes: ['dora:read'], headers: bearer(tokensA.read) },
    { name: 'token of A with dora:admin', org: 'A', scopes: ['dora:admin'], headers: bearer(tokensA.admin.secret) },
    { name: 'revoked token of A', org: null, scopes: [], headers: bearer(revoked.secret) },
    { name: 'expired token of A', org: null, scopes: [], headers: bearer(expired.secret) },
    { name: 'exchanged token of A', org: 'A', scopes: ['findings:write'], headers: bearer(exchanged) },
    { name: 'viewer session of A', org: 'A', scopes: ['dora:read'], ...session(`viewer-${marker}@a.test`) },
    { name: 'admin session of A', org: 'A', scopes: ['dora:read', 'dora:admin'], ...session(secrets.email) },
    { name: 'admin session of B', org: 'B', scopes: ['dora:read', 'dora:admin'], ...session(`admin-${marker}@b.test`) },
    { name: 'token of B with every scope', org: 'B', scopes: ['findings:write', 'dora:read', 'dora:admin'], headers: bearer(tokensB.all) },
  );
});
afterAll(() => t.close());

/**
 * A request path on A's slug. Reads, and every request of B's credentials, name A's own objects; A's
 * own changes name objects that do not exist, so the matrix changes nothing it relies on.
 */
function pathFor(path: string, method: string, credential: Credential): string {
  const real = method === 'GET' || credential.org === 'B';
  return path
    .replace(':slug', slugA)
    .replace(/\/deployments\/:id/, `/deployments/${real ? ids.deployment : uuidv7()}`)
    .replace(/\/tokens\/:id/, `/tokens/${real ? ids.token : uuidv7()}`)
    .replace(/\/identity-providers\/:id/, `/identity-providers/${real ? ids.idp : uuidv7()}`)
    .replace(/\/forgejo-owners\/:owner/, `/forgejo-owners/${real ? secrets.owner : 'nobody-mapped'}`)
    .replace(/:id/, uuidv7());
}

/** The status a credential must get: an exact one, or "allowed" (anything but 401, 403 and 5xx). */
function expected(access: Access, credential: Credential): number | 'allowed' {
  switch (access.kind) {
    case 'public':
      return 'allowed';
    case 'refuses-everyone':
      return access.status;
    case 'own-session':
      return credential.session ? 'allowed' : 401;
    case 'ingest':
      if (credential.session || credential.org === null) return 401;
      return credential.scopes.includes('findings:write') ? 'allowed' : 403;
    case 'org':
      if (credential.org === null) return 401;
      if (credential.org === 'B') return 404; // A's slug is, to B, an org that does not exist
      return credential.scopes.includes(access.scope) ? 'allowed' : 403;
  }
}

const CREDENTIALS = 11;
describe(`cross-tenant access matrix: ${routes.length} routes × ${CREDENTIALS} credentials = ${routes.length * CREDENTIALS} cases`, () => {
  it('covers every route the app serves, each of which has a rule here', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter(({ method, path }) => accessOf(method, path) === undefined).map(({ method, path }) => `${method} ${path}`)).toEqual([]);
    expect(credentials).toHaveLength(CREDENTIALS);
  });

  it.each(routes.map(({ method, path }) => [`${method} ${path}`, method, path] as const))('%s', async (_name, method, path) => {
    const access = accessOf(method, path);
    if (!access) throw new Error(`No rule for ${method} ${path}: add it to accessOf`);
    const outcomes: string[] = [];
    for (const credential of credentials) {
      const want = expected(access, credential);
      const request = t.http()[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](pathFor(path, method, credential)).set(await credential.headers(method));
      const probe = { repo_full_name: 'matrix/probe', environment: 'production', deployed_at: new Date().toISOString(), external_ref: `probe-${marker}` };
      const body = access.kind !== 'ingest' ? {} : path.endsWith('/batch') ? `${JSON.stringify(probe)}\n` : probe;
      if (typeof body === 'string') request.set('Content-Type', 'application/x-ndjson');
      const res = await (method === 'GET' || method === 'DELETE' ? request : request.send(body));
      if (path === '/api/v1/auth/logout') credential.forget?.();
      const ok = want === 'allowed' ? ![401, 403].includes(res.status) && res.status < 500 : res.status === want;
      outcomes.push(`${ok ? 'ok' : 'WRONG'} ${credential.name}: ${res.status}${ok ? '' : ` (expected ${want})`}`);
      if (credential.org === 'B') {
        for (const secret of [...Object.values(secrets), ids.deployment!, ids.token!, ids.idp!]) {
          expect([credential.name, res.text.includes(secret)]).toEqual([credential.name, false]);
        }
      }
    }
    expect(outcomes.filter((line) => line.startsWith('WRONG'))).toEqual([]);
  });
});
