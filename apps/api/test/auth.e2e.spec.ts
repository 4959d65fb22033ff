import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UsersService } from '../src/modules/auth/users.service.js';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

const PASSWORD = 'correct horse battery staple';

describe('sign-in, sessions and the tokens API', () => {
  let t: TestApp;
  let org: Tenant;
  let other: Tenant;
  let adminEmail: string;
  let viewerEmail: string;

  const addUser = async (tenant: Tenant, email: string, role: 'admin' | 'viewer') =>
    t.app.get(UsersService).addToOrg({ email, tenantId: tenant.id, role, password: PASSWORD }, { type: 'system', id: 'cli' });

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrg(t.app, 'signin');
    other = await createOrg(t.app, 'elsewhere');
    adminEmail = `admin@${org.slug}.test`;
    viewerEmail = `viewer@${org.slug}.test`;
    await addUser(org, adminEmail, 'admin');
    await addUser(org, viewerEmail, 'viewer');
    await addUser(other, `admin@${other.slug}.test`, 'admin');
  });
  afterAll(() => t.close());

  /** Signs in; answers the cookie header to send and the CSRF token. */
  async function signIn(email: string, app = t) {
    const res = await app.http().post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200);
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0]!;
    return { cookie: cookie.split(';')[0]!, setCookie: cookie, csrf: res.body.csrf_token as string, me: res.body };
  }

  describe('login', () => {
    it('sets an HttpOnly, SameSite=Lax session cookie and answers the user, their orgs and roles, and a CSRF token', async () => {
      const { setCookie, me } = await signIn(adminEmail.toUpperCase());
      expect(setCookie).toMatch(/^dora_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/);
      expect(me).toEqual({ user: { id: expect.any(String), email: adminEmail }, orgs: [{ slug: org.slug, name: org.name, role: 'admin' }], csrf_token: expect.any(String) });
    });

    it('stores only a hash of the session secret', async () => {
      const { cookie } = await signIn(viewerEmail);
      const secret = cookie.split('=')[1]!;
      const rows = await t.ownerQuery<{ id: string }>(`SELECT id FROM sessions WHERE id = $1 OR id = encode(sha256($1::bytea), 'hex')`, [secret]);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.id).not.toBe(secret);
    });

    it('gives the same answer for a wrong password and an unknown email, and no cookie', async () => {
      const wrong = await t.http().post('/api/v1/auth/login').send({ email: adminEmail, password: 'not it at all' }).expect(401);
      const unknown = await t.http().post('/api/v1/auth/login').send({ email: `nobody@${org.slug}.test`, password: 'not it at all' }).expect(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body.error.message).toBe('The email or the password is wrong');
      expect(wrong.headers['set-cookie']).toBeUndefined();
    });

    it('400 for a body without email or password', async () => {
      expect((await t.http().post('/api/v1/auth/login').send({ email: adminEmail }).expect(400)).body.error.details).toEqual([expect.objectContaining({ field: 'password' })]);
    });

    it('over https, names the cookie __Host- (Secure, Path=/, no Domain): the browser binds it to this very origin', async () => {
      const https = await startTestApp({ PUBLIC_URL: 'https://dora.example.com' });
      try {
        const session = await signIn(viewerEmail, https);
        expect(session.setCookie).toMatch(/^__Host-dora_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
        await https.http().get('/api/v1/auth/me').set('Cookie', session.cookie).expect(200);
        await https.http().get('/api/v1/auth/me').set('Cookie', session.cookie.replace('__Host-', '')).expect(401);
        const out = await https.http().post('/api/v1/auth/logout').set('Cookie', session.cookie).set('X-CSRF-Token', session.csrf).expect(204);
        expect((out.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^__Host-dora_session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax$/);
      } finally {
        await https.close();
      }
    });
  });

  describe('a session', () => {
    it('reads its own org, and another org answers 404 like one that does not exist', async () => {
      const { cookie } = await signIn(viewerEmail);
      await t.http().get(`/api/v1/orgs/${org.slug}/dora/summary`).set('Cookie', cookie).expect(200);
      const foreign = await t.http().get(`/api/v1/orgs/${other.slug}/dora/summary`).set('Cookie', cookie).expect(404);
      expect(foreign.body.error.message).toBe(`No org with the slug "${other.slug}"`);
      expect((await t.http().get('/api/v1/auth/me').set('Cookie', cookie).expect(200)).body.user.email).toBe(viewerEmail);
    });

    it('401 without a session, or with an expired or made-up one', async () => {
      await t.http().get('/api/v1/auth/me').expect(401);
      await t.http().get(`/api/v1/orgs/${org.slug}/dora/summary`).set('Cookie', 'dora_session=made-up').expect(401);
      const { cookie } = await signIn(viewerEmail);
      await t.ownerQuery(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = encode(sha256($1::bytea), 'hex')`, [cookie.split('=')[1]]);
      await t.http().get('/api/v1/auth/me').set('Cookie', cookie).expect(401);
    });

    it('cannot report deployments: ingest takes an API token', async () => {
      const { cookie, csrf } = await signIn(adminEmail);
      const res = await t.http().post('/api/v1/dora/deployments').set('Cookie', cookie).set('X-CSRF-Token', csrf)
        .send({ repo_full_name: 'a/b', environment: 'production', deployed_at: '2026-01-01T00:00:00Z' }).expect(401);
      expect(res.body.error.code).toBe('unauthenticated');
    });

    it('needs the admin role and the CSRF token to change settings', async () => {
      const viewer = await signIn(viewerEmail);
      const admin = await signIn(adminEmail);
      const put = (session: { cookie: string }, csrf?: string) => {
        const req = t.http().put(`/api/v1/orgs/${org.slug}/dora/settings`).set('Cookie', session.cookie);
        if (csrf) req.set('X-CSRF-Token', csrf);
        return req.send({ window_days: 90 });
      };
      expect((await put(viewer, viewer.csrf).expect(403)).body.error.message).toContain('Only an admin');
      expect((await put(admin).expect(403)).body.error.message).toContain('X-CSRF-Token');
      await put(admin, viewer.csrf).expect(403); // another session's token
      await put(admin, admin.csrf).expect(200);
      const [event] = await t.ownerQuery<{ actor_type: string; actor_id: string }>(
        `SELECT actor_type, actor_id FROM audit_events WHERE tenant_id = $1 AND action = 'dora.settings.updated' ORDER BY occurred_at DESC LIMIT 1`,
        [org.id],
      );
      expect(event).toEqual({ actor_type: 'user', actor_id: admin.me.user.id });
    });

    it('ends with logout (CSRF needed): the cookie is cleared and no longer works; both are audited', async () => {
      const { cookie, csrf, me } = await signIn(viewerEmail);
      await t.http().post('/api/v1/auth/logout').set('Cookie', cookie).expect(403);
      const res = await t.http().post('/api/v1/auth/logout').set('Cookie', cookie).set('X-CSRF-Token', csrf).expect(204);
      expect((res.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^dora_session=; Path=\/; Expires=Thu, 01 Jan 1970/);
      await t.http().get('/api/v1/auth/me').set('Cookie', cookie).expect(401);
      const actions = (
        await t.ownerQuery<{ action: string }>(`SELECT action FROM audit_events WHERE tenant_id = $1 AND actor_id = $2 ORDER BY occurred_at`, [org.id, me.user.id])
      ).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['auth.login', 'auth.logout']));
    });
  });

  describe('tokens API', () => {
    it('lets an admin mint (the secret once), list and revoke tokens; viewers may not', async () => {
      const admin = await signIn(adminEmail);
      const viewer = await signIn(viewerEmail);
      const base = `/api/v1/orgs/${org.slug}/tokens`;
      await t.http().get(base).set('Cookie', viewer.cookie).expect(403);

      const minted = await t.http().post(base).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf).send({ name: 'ci', scopes: ['findings:write'], expires_in_days: 30 }).expect(201);
      expect(minted.body.secret).toMatch(/^ffp_[0-9A-Za-z]{40}$/);
      expect(minted.body.token).toMatchObject({ name: 'ci', scopes: ['findings:write'], origin: 'minted', created_by: { id: admin.me.user.id, email: adminEmail }, revoked_at: null });
      expect(Date.parse(minted.body.token.expires_at) - Date.now()).toBeGreaterThan(29.9 * 86_400_000);

      const ingest = (secret: string) =>
        t.http().post('/api/v1/dora/deployments').set('Authorization', `Bearer ${secret}`).send({ repo_full_name: 'a/b', environment: 'production', deployed_at: '2026-01-01T00:00:00Z' });
      await ingest(minted.body.secret).expect(201);

      const listed = (await t.http().get(base).set('Cookie', admin.cookie).expect(200)).body.items;
      const item = listed.find((token: { id: string }) => token.id === minted.body.token.id);
      expect(item).toMatchObject({ prefix: minted.body.secret.slice(0, 12), last_used_at: expect.any(String) });
      expect(JSON.stringify(listed)).not.toContain(minted.body.secret);

      await t.http().delete(`${base}/${item.id}`).set('Cookie', admin.cookie).expect(403); // no CSRF token
      const revoked = await t.http().delete(`${base}/${item.id}`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf).expect(200);
      expect(revoked.body).toEqual({ id: item.id, revoked_at: expect.any(String) });
      await ingest(minted.body.secret).expect(401);
      await t.http().delete(`${base}/${item.id}`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf).expect(409);
    });

    it('also answers to a dora:admin token, and refuses bad bodies and other orgs’ tokens', async () => {
      const { secret } = await createToken(t.app, org, ['dora:admin']);
      const theirs = await createToken(t.app, other, ['findings:write']);
      const base = `/api/v1/orgs/${org.slug}/tokens`;
      const auth = { Authorization: `Bearer ${secret}` };
      const minted = await t.http().post(base).set(auth).send({ name: 'from a token', scopes: ['dora:read'] }).expect(201);
      expect(minted.body.token).toMatchObject({ created_by: null, expires_at: null });
      for (const body of [{ name: '', scopes: ['dora:read'] }, { name: 'x', scopes: [] }, { name: 'x', scopes: ['root'] }, { name: 'x', scopes: ['dora:read'], expires_in_days: 0 }]) {
        await t.http().post(base).set(auth).send(body).expect(400);
      }
      await t.http().delete(`${base}/${theirs.id}`).set(auth).expect(404);
      await t.http().delete(`${base}/not-a-uuid`).set(auth).expect(404);
    });
  });

  describe('token lifetime policy and rotation', () => {
    it('stops a token older than the org allows, naming the policy', async () => {
      const policyOrg = await createOrg(t.app, 'cap');
      const { secret: admin } = await createToken(t.app, policyOrg, ['dora:admin', 'dora:read']);
      const old = await createToken(t.app, policyOrg, ['dora:read']);
      const read = (secret: string) => t.http().get(`/api/v1/orgs/${policyOrg.slug}/dora/environments`).set('Authorization', `Bearer ${secret}`);
      await read(old.secret).expect(200);
      await t.ownerQuery(`UPDATE api_tokens SET created_at = now() - interval '31 days' WHERE id = $1`, [old.id]);
      await read(old.secret).expect(200); // no policy yet
      await t.http().put(`/api/v1/orgs/${policyOrg.slug}/dora/settings`).set('Authorization', `Bearer ${admin}`).send({ max_token_lifetime_days: 30 }).expect(200);
      const refused = await read(old.secret).expect(401);
      expect(refused.body.error.message).toMatch(/older than its org allows \(max_token_lifetime_days: 30\)/);
      await read(admin).expect(200); // minted today: within the cap
      const listed = (await t.http().get(`/api/v1/orgs/${policyOrg.slug}/tokens`).set('Authorization', `Bearer ${admin}`).expect(200)).body.items;
      const item = listed.find((token: { id: string }) => token.id === old.id);
      expect(Date.parse(item.stops_at)).toBeLessThan(Date.now());
      expect(item).toMatchObject({ exceeds_policy: true, expires_soon: false });
    });

    it('rotates a token: a new secret under the same name, scopes and lifetime; the old one works through the grace period only', async () => {
      const admin = await signIn(adminEmail);
      const base = `/api/v1/orgs/${org.slug}/tokens`;
      const send = (method: 'post' | 'get', path: string, body?: object) => {
        const req = t.http()[method](`${base}${path}`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf);
        return body ? req.send(body) : req;
      };
      const minted = (await send('post', '', { name: 'deploy', scopes: ['findings:write'], expires_in_days: 10 }).expect(201)).body;
      expect(minted.token).toMatchObject({ expires_soon: true, replaced_by: null }); // 10 days: within the 14-day warning
      const ingest = (secret: string) =>
        t.http().post('/api/v1/dora/deployments').set('Authorization', `Bearer ${secret}`).send({ repo_full_name: 'a/b', environment: 'production', deployed_at: '2026-01-01T00:00:00Z' });

      const rotated = (await send('post', `/${minted.token.id}/rotate`, { grace_hours: 2 }).expect(201)).body;
      expect(rotated.secret).toMatch(/^ffp_[0-9A-Za-z]{40}$/);
      expect(rotated.token).toMatchObject({ name: 'deploy', scopes: ['findings:write'], origin: 'minted', replaced_by: null, created_by: { id: admin.me.user.id, email: adminEmail } });
      expect(Math.abs(Date.parse(rotated.token.expires_at) - Date.now() - 10 * 86_400_000)).toBeLessThan(60_000);
      expect(rotated.previous).toMatchObject({ id: minted.token.id, replaced_by: rotated.token.id, expires_soon: true });
      expect(Math.abs(Date.parse(rotated.previous.expires_at) - Date.now() - 2 * 3_600_000)).toBeLessThan(60_000);
      await ingest(rotated.secret).expect(201);
      await ingest(minted.secret).expect(201); // within the grace period

      expect((await send('post', `/${minted.token.id}/rotate`, {}).expect(409)).body.error.message).toMatch(/already rotated/);
      await send('post', `/${rotated.token.id}/rotate`, { grace_hours: 721 }).expect(400);
      await send('post', '/01a21786-830e-720f-b9d2-c201724675a3/rotate', {}).expect(404);

      const again = (await send('post', `/${rotated.token.id}/rotate`, { grace_hours: 0 }).expect(201)).body;
      expect((await ingest(rotated.secret).expect(401)).body.error.message).toMatch(/expired at/); // no grace
      await ingest(again.secret).expect(201);
      const [event] = await t.ownerQuery<{ metadata: Record<string, unknown>; actor_id: string }>(
        `SELECT metadata, actor_id FROM audit_events WHERE tenant_id = $1 AND action = 'auth.token.rotated' AND subject_id = $2`,
        [org.id, minted.token.id],
      );
      expect(event).toEqual({ actor_id: admin.me.user.id, metadata: expect.objectContaining({ new_token_id: rotated.token.id, grace_hours: 2, name: 'deploy' }) });
    });

    it('does not rotate a revoked token, nor another org’s, and needs dora:admin', async () => {
      const { secret: reader } = await createToken(t.app, org, ['dora:read']);
      const { secret: adminToken } = await createToken(t.app, org, ['dora:admin']);
      const victim = await createToken(t.app, org, ['findings:write']);
      const theirs = await createToken(t.app, other, ['findings:write']);
      const rotate = (secret: string, id: string) => t.http().post(`/api/v1/orgs/${org.slug}/tokens/${id}/rotate`).set('Authorization', `Bearer ${secret}`).send({});
      await rotate(reader, victim.id).expect(403);
      await rotate(adminToken, theirs.id).expect(404);
      await t.http().delete(`/api/v1/orgs/${org.slug}/tokens/${victim.id}`).set('Authorization', `Bearer ${adminToken}`).expect(200);
      expect((await rotate(adminToken, victim.id).expect(409)).body.error.message).toMatch(/revoked/);
    });
  });

  describe('sign-in rate limits', () => {
    const login = (app: TestApp, email: string, password: string, from: string) =>
      app.http().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });

    it('refuses an account from an address after its failures there, even with the right password; elsewhere the owner still signs in', async () => {
      const app = await startTestApp({ TRUST_PROXY: 'loopback' });
      try {
        for (let i = 0; i < 10; i++) await login(app, viewerEmail, `wrong ${i}`, '198.51.100.7').expect(401);
        const limited = await login(app, viewerEmail, PASSWORD, '198.51.100.7').expect(429);
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
        await login(app, viewerEmail, PASSWORD, '203.0.113.20').expect(200); // the owner, from where nobody failed
        await login(app, adminEmail, PASSWORD, '198.51.100.7').expect(200); // another account from there
      } finally {
        await app.close();
      }
    });

    it('has a ceiling per account over all addresses (a guessing attack spread over many)', async () => {
      const app = await startTestApp({ TRUST_PROXY: 'loopback', SIGN_IN_FAILURES_PER_ADDRESS: '2', SIGN_IN_FAILURES_PER_ACCOUNT: '4' });
      try {
        for (let i = 0; i < 4; i++) await login(app, viewerEmail, `wrong ${i}`, `198.51.100.${10 + i}`).expect(401);
        expect((await login(app, viewerEmail, PASSWORD, '203.0.113.30').expect(429)).body.error.code).toBe('rate_limited');
        await login(app, adminEmail, PASSWORD, '203.0.113.30').expect(200);
      } finally {
        await app.close();
      }
    });

    it('checks only a few passwords at once (128 MiB each): beyond its queue, 503 with Retry-After, never a 500', async () => {
      const app = await startTestApp({ TRUST_PROXY: 'loopback', PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '1' });
      try {
        const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => login(app, `nobody-${i}@${org.slug}.test`, 'not the password', `198.51.100.${100 + i}`)));
        const statuses = answers.map((res) => res.status).sort();
        expect(statuses.filter((status) => status === 401).length).toBeGreaterThanOrEqual(2);
        const busy = answers.filter((res) => res.status === 503);
        expect(busy.length).toBeGreaterThanOrEqual(1);
        expect(statuses.every((status) => status === 401 || status === 503)).toBe(true);
        for (const res of busy) {
          expect(res.body.error.code).toBe('overloaded');
          expect(res.headers['retry-after']).toBe('1');
        }
        await login(app, adminEmail, PASSWORD, '203.0.113.40').expect(200); // the queue drains
      } finally {
        await app.close();
      }
    });
  });
});
