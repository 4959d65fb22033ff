import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { createServer, type Server } from 'node:http';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { HostResolver } from '../src/modules/auth/token-exchange/jwks-keys.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

const EXCHANGE = '/api/v1/auth/token-exchange';
const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/** A real identity provider: key pairs, and their public JWKS served over HTTP on loopback (or misbehaving). */
class FakeIssuer {
  published: JWK[] = [];
  mode: 'ok' | 'error' | 'redirect' | 'garbage' = 'ok';
  requests = 0;
  connections = 0;
  private server: Server | undefined;
  port = 0;

  get issuer(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get jwksUri(): string {
    return `${this.issuer}/.well-known/jwks`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.requests++;
      if (this.mode === 'error') return void response.writeHead(500).end('internal error');
      if (this.mode === 'garbage') return void response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"keys": [');
      if (this.mode === 'redirect') return void response.writeHead(302, { Location: `${this.issuer}/.well-known/jwks?again` }).end();
      if (!request.url?.startsWith('/.well-known/jwks')) return void response.writeHead(404).end();
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: this.published }));
    });
    this.server.on('connection', () => this.connections++);
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as { port: number }).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  async publish(pair: KeyPair, kid: string, alg: string): Promise<void> {
    this.published.push({ ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' });
  }

  sign(pair: KeyPair, kid: string, alg: string, claims: JWTPayload, times: { iat?: number; exp?: number; nbf?: number } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT(claims).setProtectedHeader({ alg, kid, typ: 'JWT' }).setIssuer(this.issuer).setIssuedAt(times.iat ?? now).setExpirationTime(times.exp ?? now + 300);
    if (times.nbf !== undefined) jwt.setNotBefore(times.nbf);
    return jwt.sign(pair.privateKey);
  }
}

const ciClaims = { sub: 'repo:acme/web:ref:refs/heads/main', aud: 'dora', repository: 'acme/web', repository_owner: 'acme', ref: 'refs/heads/main', run_id: '4242' };
const acmeOnly = { repository_owner: 'acme' };
/** What a stranger learns of any refusal. */
const NOT_ACCEPTED = { error: 'invalid_grant', error_description: 'the subject token is not accepted' };

describe('token exchange (RFC 8693) and the token lifetime policy', () => {
  let t: TestApp;
  const idp = new FakeIssuer();
  let rsa: KeyPair;
  let ec: KeyPair;
  let rotated: KeyPair;
  let org: Tenant;
  let other: Tenant;
  let admin: string;
  let otherAdmin: string;

  const exchange = (fields: Record<string, string>) => t.http().post(EXCHANGE).type('form').send(fields);
  const exchangeJwt = (jwt: string, extra: Record<string, string> = {}) =>
    exchange({ grant_type: GRANT, subject_token: jwt, subject_token_type: JWT_TYPE, scope: 'findings:write', ...extra });
  const registerIdp = (slug: string, token: string, body: Record<string, unknown>) =>
    t.http().post(`/api/v1/orgs/${slug}/identity-providers`).set('Authorization', `Bearer ${token}`).send(body);
  const ingest = (secret: string) =>
    t.http().post('/api/v1/dora/deployments').set('Authorization', `Bearer ${secret}`).send({ repo_full_name: 'acme/web', environment: 'production', deployed_at: new Date().toISOString() });

  beforeAll(async () => {
    t = await startTestApp({ JWKS_TIMEOUT_MS: '1000', JWKS_ALLOWED_HOSTS: '127.0.0.1' });
    await idp.start();
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    rotated = await generateKeyPair('RS256');
    await idp.publish(rsa, 'rsa-1', 'RS256');
    await idp.publish(ec, 'ec-1', 'ES256');
    org = await createOrg(t.app, 'oidc');
    other = await createOrg(t.app, 'oidc-other');
    ({ secret: admin } = await createToken(t.app, org, ['dora:admin', 'dora:read']));
    ({ secret: otherAdmin } = await createToken(t.app, other, ['dora:admin']));
    await registerIdp(org.slug, admin, {
      issuer: idp.issuer,
      jwks_uri: idp.jwksUri,
      audience: 'dora',
      required_claims: { repository_owner: 'acme', ref: 'refs/heads/*' },
      max_ttl_seconds: 600,
    }).expect(201);
  });
  afterAll(async () => {
    await t.close();
    await idp.stop();
  });

  describe('a valid exchange', () => {
    it('answers a short-lived org token with only the granted scope, which ingests as any token does', async () => {
      const now = Math.floor(Date.now() / 1000);
      const res = await exchangeJwt(await idp.sign(rsa, 'rsa-1', 'RS256', ciClaims, { exp: now + 3600 })).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({
        access_token: expect.stringMatching(/^ffp_[0-9A-Za-z]{40}$/),
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: 600, // the issuer's max_ttl, shorter than the JWT's hour
        scope: 'findings:write',
      });

      const [token] = await t.ownerQuery<Record<string, unknown>>(`SELECT * FROM api_tokens WHERE prefix = $1`, [res.body.access_token.slice(0, 12)]);
      expect(token).toMatchObject({ tenant_id: org.id, origin: 'exchanged', issuer: idp.issuer, subject: ciClaims.sub, scopes: ['findings:write'] });
      expect(token!.token_hash).not.toContain(res.body.access_token);
      expect(Math.abs((token!.expires_at as Date).getTime() - Date.now() - 600_000)).toBeLessThan(5_000);
      const [exchanged] = await t.ownerQuery<{ metadata: Record<string, unknown>; actor_id: string }>(
        `SELECT metadata, actor_id FROM audit_events WHERE subject_id = $1 AND action = 'auth.token.exchanged'`,
        [token!.id],
      );
      expect(exchanged!.metadata).toMatchObject({ issuer: idp.issuer, subject: ciClaims.sub, claims: { aud: 'dora', repository: 'acme/web', ref: 'refs/heads/main', run_id: '4242' } });

      const ingested = await ingest(res.body.access_token).expect(201);
      expect(ingested.body.tenant_id).toBe(org.id);
      const [event] = await t.ownerQuery<{ actor_id: string; metadata: { token_name: string } }>(`SELECT actor_id, metadata FROM audit_events WHERE subject_id = $1`, [ingested.body.id]);
      expect(event).toMatchObject({ actor_id: token!.id, metadata: { token_name: `exchanged: ${ciClaims.sub}` } });
      await t.http().get(`/api/v1/orgs/${org.slug}/dora/summary`).set('Authorization', `Bearer ${res.body.access_token}`).expect(403); // findings:write only
    });

    it('takes ES256 keys, JSON bodies, the id_token type and an explicit audience', async () => {
      const jwt = await idp.sign(ec, 'ec-1', 'ES256', ciClaims);
      const res = await t.http().post(EXCHANGE).send({ grant_type: GRANT, subject_token: jwt, subject_token_type: 'urn:ietf:params:oauth:token-type:id_token', audience: org.slug }).expect(200);
      expect(res.body.scope).toBe('findings:write');
    });
  });

  describe('refused subject tokens: 400 invalid_grant that says nothing, the reason in the org’s audit log, nothing issued', () => {
    const refusals = async () =>
      t.ownerQuery<{ reason: string }>(`SELECT metadata->>'reason' AS reason FROM audit_events WHERE tenant_id = $1 AND action = 'auth.token.exchange_refused' ORDER BY occurred_at DESC, id DESC`, [org.id]);
    /** `reason`: what the org's audit log says; `null`: no org of the issuer was asked. */
    const refused = async (jwt: string, reason: RegExp | null) => {
      const before = (await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM api_tokens WHERE origin = 'exchanged'`))[0]!.n;
      const audited = (await refusals()).length;
      const res = await exchangeJwt(jwt).expect(400);
      expect(res.body).toEqual(NOT_ACCEPTED);
      expect((await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM api_tokens WHERE origin = 'exchanged'`))[0]!.n).toBe(before);
      const after = await refusals();
      if (reason === null) expect(after).toHaveLength(audited);
      else expect(after[0]!.reason).toMatch(reason);
    };
    const now = () => Math.floor(Date.now() / 1000);

    it('with the wrong audience', async () => refused(await idp.sign(rsa, 'rsa-1', 'RS256', { ...ciClaims, aud: 'someone-else' }), /audience is not "dora"/));
    it('expired (beyond the clock skew)', async () => refused(await idp.sign(rsa, 'rsa-1', 'RS256', ciClaims, { iat: now() - 600, exp: now() - 120 }), /expired/));
    it('not valid yet', async () => refused(await idp.sign(rsa, 'rsa-1', 'RS256', ciClaims, { nbf: now() + 600 }), /not valid yet/));
    it('issued in the future', async () => refused(await idp.sign(rsa, 'rsa-1', 'RS256', ciClaims, { iat: now() + 600, exp: now() + 900 }), /issued in the future/));
    it('from an issuer no org trusts', async () => {
      const stranger = new FakeIssuer();
      await stranger.start();
      try {
        await refused(await stranger.sign(rsa, 'rsa-1', 'RS256', ciClaims), null);
      } finally {
        await stranger.stop();
      }
    });
    it('with a claim that does not match', async () => refused(await idp.sign(rsa, 'rsa-1', 'RS256', { ...ciClaims, ref: 'refs/tags/v1.0.0' }), /claim "ref" does not match/));
    it('signed by a key the issuer does not publish', async () => refused(await idp.sign(rotated, 'rsa-1', 'RS256', ciClaims), /signature does not verify/));

    it('with alg "none"', async () => {
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...ciClaims, iss: idp.issuer, iat: now(), exp: now() + 300 })}.`;
      await refused(unsigned, /alg is not allowed/);
    });

    it('signed with HS256 using the public key as the shared secret', async () => {
      const publicPem = await exportSPKI(rsa.publicKey);
      const forged = await new SignJWT(ciClaims)
        .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
        .setIssuer(idp.issuer)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(publicPem));
      await refused(forged, /alg is not allowed/);
    });
  });

  it('fetches the keys again for an unknown kid, so a key rotation just works', async () => {
    const jwt = await idp.sign(rotated, 'rsa-2', 'RS256', ciClaims);
    expect((await exchangeJwt(jwt).expect(400)).body).toEqual(NOT_ACCEPTED);
    await idp.publish(rotated, 'rsa-2', 'RS256');
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the cool-down between fetches
    expect((await exchangeJwt(jwt).expect(200)).body.access_token).toMatch(/^ffp_/);
  });

  it('refuses a scope the issuer may not be granted (only to a caller whose token is otherwise accepted), an unknown one, and dora:admin', async () => {
    const jwt = await idp.sign(rsa, 'rsa-1', 'RS256', ciClaims);
    expect((await exchangeJwt(jwt, { scope: 'dora:read' }).expect(400)).body).toEqual({ error: 'invalid_scope', error_description: 'the requested scope is not granted to this subject token' });
    expect((await exchangeJwt(jwt, { scope: 'root' }).expect(400)).body.error).toBe('invalid_scope');
    expect((await exchangeJwt(jwt, { scope: 'findings:write dora:admin' }).expect(400)).body).toEqual({ error: 'invalid_scope', error_description: 'an exchanged token never carries dora:admin' });
    const forged = await idp.sign(rotated, 'rsa-1', 'RS256', ciClaims); // a bad signature says nothing about scopes
    expect((await exchangeJwt(forged, { scope: 'dora:read' }).expect(400)).body).toEqual(NOT_ACCEPTED);
  });

  it('answers the same whatever the key fetch met (no port-scanning oracle), remembers a failure, and keeps serving', async () => {
    const pair = await generateKeyPair('ES256');
    const answers: unknown[] = [];
    for (const mode of ['down', 'error', 'redirect', 'garbage'] as const) {
      const issuer = new FakeIssuer();
      await issuer.start();
      await issuer.publish(pair, 'k', 'ES256');
      await registerIdp(org.slug, admin, { issuer: issuer.issuer, jwks_uri: issuer.jwksUri, audience: 'dora', required_claims: acmeOnly }).expect(201);
      const jwt = await issuer.sign(pair, 'k', 'ES256', ciClaims);
      if (mode === 'down') await issuer.stop();
      else issuer.mode = mode;
      const res = await exchangeJwt(jwt).expect(503);
      answers.push(res.body);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      // Asked again at once: answered from the remembered failure, without fetching.
      const requests = issuer.requests;
      expect((await exchangeJwt(jwt).expect(503)).body).toEqual(res.body);
      expect(issuer.requests).toBe(requests);
      if (mode === 'redirect') expect(requests).toBe(1); // the redirect was not followed
      if (mode !== 'down') await issuer.stop();
    }
    expect(answers).toEqual(Array(4).fill({ error: 'temporarily_unavailable', error_description: "the issuer's keys could not be fetched; try again later" }));
    await exchangeJwt(await idp.sign(rsa, 'rsa-1', 'RS256', ciClaims)).expect(200);
  });

  it('refuses the issued token once it has expired, saying so', async () => {
    const { access_token } = (await exchangeJwt(await idp.sign(rsa, 'rsa-1', 'RS256', ciClaims)).expect(200)).body;
    await t.ownerQuery(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE prefix = $1`, [access_token.slice(0, 12)]);
    expect((await ingest(access_token).expect(401)).body.error.message).toMatch(/expired at/);
  });

  it("keeps orgs apart: an org token never reaches another org, and the audience must trust the issuer", async () => {
    const { access_token } = (await exchangeJwt(await idp.sign(rsa, 'rsa-1', 'RS256', ciClaims)).expect(200)).body;
    await t.http().get(`/api/v1/orgs/${other.slug}/dora/deployments`).set('Authorization', `Bearer ${access_token}`).expect(404);
    const jwt = await idp.sign(rsa, 'rsa-1', 'RS256', { ...ciClaims, run_id: 'orgs-apart' });
    expect((await exchangeJwt(jwt, { audience: other.slug }).expect(400)).body).toEqual(NOT_ACCEPTED);
    expect((await exchangeJwt(jwt, { audience: 'no-such-org' }).expect(400)).body).toEqual(NOT_ACCEPTED);

    // Once two orgs accept the token, the caller must name one.
    await registerIdp(other.slug, otherAdmin, { issuer: idp.issuer, jwks_uri: idp.jwksUri, audience: 'dora', required_claims: acmeOnly }).expect(201);
    expect((await exchangeJwt(jwt).expect(400)).body).toEqual({ error: 'invalid_target', error_description: expect.stringContaining('name one in audience') });
    const theirs = (await exchangeJwt(jwt, { audience: other.slug }).expect(200)).body.access_token;
    expect((await ingest(theirs).expect(201)).body.tenant_id).toBe(other.id);
  });

  it('answers malformed requests with OAuth errors', async () => {
    const jwt = await idp.sign(rsa, 'rsa-1', 'RS256', ciClaims);
    expect((await exchange({ subject_token: jwt, subject_token_type: JWT_TYPE }).expect(400)).body.error).toBe('invalid_request');
    expect((await exchange({ grant_type: 'client_credentials', subject_token: jwt, subject_token_type: JWT_TYPE }).expect(400)).body.error).toBe('unsupported_grant_type');
    expect((await exchange({ grant_type: GRANT, subject_token: jwt, subject_token_type: 'urn:x:saml' }).expect(400)).body.error).toBe('invalid_request');
    expect((await exchange({ grant_type: GRANT, subject_token: 'not-a-jwt', subject_token_type: JWT_TYPE }).expect(400)).body).toEqual({ error: 'invalid_request', error_description: 'subject_token is not a JWT' });
    const text = await t.http().post(EXCHANGE).set('Content-Type', 'text/plain').send('grant_type=x').expect(400);
    expect(text.body.error).toBe('invalid_request');
  });

  describe('an issuer cannot be turned against the service or other orgs', () => {
    it('never outlives the JWT it came from', async () => {
      const now = Math.floor(Date.now() / 1000);
      const res = await exchangeJwt(await idp.sign(rsa, 'rsa-1', 'RS256', { ...ciClaims, run_id: 'short' }, { exp: now + 120 }), { audience: org.slug }).expect(200);
      expect(res.body.expires_in).toBeLessThanOrEqual(120);
      expect(res.body.expires_in).toBeGreaterThan(60);
      const [token] = await t.ownerQuery<{ expires_at: Date }>(`SELECT expires_at FROM api_tokens WHERE prefix = $1`, [res.body.access_token.slice(0, 12)]);
      expect(token!.expires_at.getTime()).toBeLessThanOrEqual((now + 121) * 1000);
    });

    it('accepts a JWT id once', async () => {
      const jwt = await idp.sign(rsa, 'rsa-1', 'RS256', { ...ciClaims, jti: `jti-${Date.now()}` });
      await exchangeJwt(jwt, { audience: org.slug }).expect(200);
      expect((await exchangeJwt(jwt, { audience: org.slug }).expect(400)).body).toEqual(NOT_ACCEPTED);
      const [refusal] = await t.ownerQuery<{ reason: string }>(
        `SELECT metadata->>'reason' AS reason FROM audit_events WHERE tenant_id = $1 AND action = 'auth.token.exchange_refused' ORDER BY occurred_at DESC, id DESC LIMIT 1`,
        [org.id],
      );
      expect(refusal!.reason).toMatch(/was exchanged before/);
    });

    it('matches an adversarial claim pattern in linear time: a backtracking regex would not come back from this exchange', async () => {
      const hostile = await createOrg(t.app, 'redos');
      const { secret: hostileAdmin } = await createToken(t.app, hostile, ['dora:admin']);
      const pair = await generateKeyPair('ES256');
      await registerIdp(hostile.slug, hostileAdmin, {
        issuer: 'https://redos.example',
        jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k', alg: 'ES256' }] },
        audience: 'dora',
        required_claims: { repository: '*a*a*a*a*a*a*a*a*!' },
      }).expect(201);
      const jwt = await new SignJWT({ ...ciClaims, repository: 'a'.repeat(300) }).setProtectedHeader({ alg: 'ES256', kid: 'k' }).setIssuer('https://redos.example').setIssuedAt().setExpirationTime('5m').sign(pair.privateKey);
      expect((await exchangeJwt(jwt).expect(400)).body).toEqual(NOT_ACCEPTED);
      // A claim value past the length bound never matches, even `*`.
      const longValue = await new SignJWT({ ...ciClaims, repository: `${'a'.repeat(1100)}!` }).setProtectedHeader({ alg: 'ES256', kid: 'k' }).setIssuer('https://redos.example').setIssuedAt().setExpirationTime('5m').sign(pair.privateKey);
      expect((await exchangeJwt(longValue).expect(400)).body).toEqual(NOT_ACCEPTED);
      const ok = await new SignJWT({ ...ciClaims, repository: `${'a'.repeat(300)}!` }).setProtectedHeader({ alg: 'ES256', kid: 'k' }).setIssuer('https://redos.example').setIssuedAt().setExpirationTime('5m').sign(pair.privateKey);
      expect((await exchangeJwt(ok).expect(200)).body.scope).toBe('findings:write');
    });

    // (127.0.0.1 itself is allowed here: this app lists it in JWKS_ALLOWED_HOSTS, for the fake issuers.)
    it.each([
      'https://127.0.0.2/jwks',
      'https://127.1.2.3:8443/jwks',
      'http://[::ffff:10.0.0.1]/jwks',
      'https://[::ffff:192.168.1.1]/jwks',
      'https://[::1]/jwks',
      'https://[fd00::1]/jwks',
      'https://[fe80::1]/jwks',
      'https://169.254.169.254/latest/meta-data',
      'https://10.1.2.3/jwks',
      'https://172.16.0.1/jwks',
      'https://192.168.0.10/jwks',
      'https://100.64.0.1/jwks',
      'https://224.0.0.1/jwks',
      'https://0.0.0.0/jwks',
      'https://[::]/jwks',
      'https://2130706434/jwks',
      'https://localhost/jwks',
      'http://issuer.example/jwks',
      'ftp://issuer.example/jwks',
      'https://user:secret@issuer.example/jwks',
    ])('refuses to register the JWKS address %s', async (jwksUri) => {
      const res = await registerIdp(org.slug, admin, { issuer: `https://refused-${Math.random()}.example`, jwks_uri: jwksUri, audience: 'dora', required_claims: acmeOnly }).expect(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'jwks_uri' })]);
    });

    it('refuses a name that resolves inward, at registration and at every fetch after it, without connecting', async () => {
      const resolver = t.app.get(HostResolver);
      const lookup = resolver.lookup;
      const answers: Record<string, string> = { 'inward.example.test': '127.0.0.1', 'keys.example.test': '93.184.216.34' };
      resolver.lookup = async (hostname: string) => [{ address: answers[hostname] ?? '203.0.113.9', family: 4 }];
      try {
        const inward = await registerIdp(org.slug, admin, { issuer: 'https://inward.example.test', jwks_uri: 'https://inward.example.test/jwks', audience: 'dora', required_claims: acmeOnly }).expect(400);
        expect(inward.body.error.message).toMatch(/resolves to 127\.0\.0\.1/);

        const pair = await generateKeyPair('ES256');
        const listening = new FakeIssuer();
        await listening.start();
        await registerIdp(org.slug, admin, { issuer: 'https://keys.example.test', jwks_uri: `https://keys.example.test:${listening.port}/jwks`, audience: 'dora', required_claims: acmeOnly }).expect(201);
        answers['keys.example.test'] = '127.0.0.1'; // DNS rebinding: the name now points at this machine
        const jwt = await new SignJWT(ciClaims).setProtectedHeader({ alg: 'ES256', kid: 'k' }).setIssuer('https://keys.example.test').setIssuedAt().setExpirationTime('5m').sign(pair.privateKey);
        expect((await exchangeJwt(jwt).expect(503)).body).toEqual({ error: 'temporarily_unavailable', error_description: "the issuer's keys could not be fetched; try again later" });
        expect(listening.connections).toBe(0);
        await listening.stop();
      } finally {
        resolver.lookup = lookup;
      }
    });

    it('limits exchanges per client address: 429 with Retry-After', async () => {
      const limited = await startTestApp({ TOKEN_EXCHANGE_RATE_LIMIT_PER_MINUTE: '3' });
      try {
        const send = () => limited.http().post(EXCHANGE).type('form').send({ grant_type: GRANT, subject_token: 'not-a-jwt', subject_token_type: JWT_TYPE });
        for (let i = 0; i < 3; i++) await send().expect(400);
        const res = await send().expect(429);
        expect(res.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.stringMatching(/too many token exchanges/) });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      } finally {
        await limited.close();
      }
    });
  });

  describe('identity providers API', () => {
    it('lists them for admins, refuses unsafe or ambiguous ones, audits changes and removes them', async () => {
      const { secret: reader } = await createToken(t.app, org, ['dora:read']);
      await t.http().get(`/api/v1/orgs/${org.slug}/identity-providers`).set('Authorization', `Bearer ${reader}`).expect(403);
      const listed = (await t.http().get(`/api/v1/orgs/${org.slug}/identity-providers`).set('Authorization', `Bearer ${admin}`).expect(200)).body.items;
      expect(listed[0]).toMatchObject({ issuer: idp.issuer, jwks_uri: idp.jwksUri, inline_jwks: false, audience: 'dora', required_claims: { repository_owner: 'acme', ref: 'refs/heads/*' }, allowed_scopes: ['findings:write'], max_ttl_seconds: 600, allow_any_subject: false });

      const bad = async (body: Record<string, unknown>, field: string, message?: RegExp) => {
        const res = await registerIdp(org.slug, admin, { issuer: 'https://issuer.example', audience: 'dora', required_claims: acmeOnly, ...body }).expect(400);
        expect(res.body.error.details).toEqual([expect.objectContaining({ field, ...(message ? { message: expect.stringMatching(message) } : {}) })]);
      };
      await bad({ jwks_uri: 'http://issuer.example/jwks' }, 'jwks_uri'); // plain http, not an allowed host
      await bad({ jwks_uri: 'https://issuer.example/jwks', jwks: { keys: [{ kty: 'EC' }] } }, 'jwks_uri');
      await bad({ jwks_uri: 'https://issuer.example/jwks', max_ttl_seconds: 7200 }, 'max_ttl_seconds');
      await bad({ jwks_uri: 'https://issuer.example/jwks', allowed_scopes: ['root'] }, 'allowed_scopes');
      await bad({ jwks_uri: 'https://issuer.example/jwks', allowed_scopes: ['findings:write', 'dora:admin'] }, 'allowed_scopes', /dora:admin/);
      await bad({ jwks_uri: 'https://issuer.example/jwks', required_claims: { ref: 42 } }, 'required_claims');
      await bad({ jwks_uri: 'https://issuer.example/jwks', required_claims: { ref: 'x'.repeat(257) } }, 'required_claims', /256 characters/);
      await bad({ jwks_uri: 'https://issuer.example/jwks', required_claims: {} }, 'required_claims', /allow_any_subject/);
      expect((await registerIdp(org.slug, admin, { issuer: idp.issuer, jwks_uri: idp.jwksUri, audience: 'x', required_claims: acmeOnly }).expect(409)).body.error.code).toBe('conflict');

      const inline = await registerIdp(org.slug, admin, { issuer: 'https://inline.example', jwks: { keys: [await exportJWK(ec.publicKey)] }, audience: 'dora', allow_any_subject: true }).expect(201);
      expect(inline.body).toMatchObject({ inline_jwks: true, jwks_uri: null, max_ttl_seconds: 900, required_claims: {}, allow_any_subject: true });
      await t.http().delete(`/api/v1/orgs/${org.slug}/identity-providers/${inline.body.id}`).set('Authorization', `Bearer ${admin}`).expect(204);
      await t.http().delete(`/api/v1/orgs/${org.slug}/identity-providers/${inline.body.id}`).set('Authorization', `Bearer ${admin}`).expect(404);
      const actions = (await t.ownerQuery<{ action: string }>(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY occurred_at`, [inline.body.id])).map((e) => e.action);
      expect(actions).toEqual(['identity_provider.added', 'identity_provider.removed']);
    });
  });

  describe('token lifetime policy', () => {
    it('refuses to mint a token longer-lived than the org allows, and reports older ones past it', async () => {
      const policyOrg = await createOrg(t.app, 'policy');
      const { secret: policyAdmin, id: unlimitedId } = await createToken(t.app, policyOrg, ['dora:admin', 'dora:read']);
      const settings = (body: object) => t.http().put(`/api/v1/orgs/${policyOrg.slug}/dora/settings`).set('Authorization', `Bearer ${policyAdmin}`).send(body);
      await settings({ max_token_lifetime_days: 0 }).expect(400);
      expect((await settings({ max_token_lifetime_days: 30 }).expect(200)).body).toMatchObject({ max_token_lifetime_days: 30 });

      const mint = (body: object) => t.http().post(`/api/v1/orgs/${policyOrg.slug}/tokens`).set('Authorization', `Bearer ${policyAdmin}`).send({ name: 'ci', scopes: ['findings:write'], ...body });
      expect((await mint({}).expect(400)).body.error.message).toMatch(/at most 30 days/);
      await mint({ expires_in_days: 31 }).expect(400);
      await mint({ expires_in_days: 30 }).expect(201);

      const listed = (await t.http().get(`/api/v1/orgs/${policyOrg.slug}/tokens`).set('Authorization', `Bearer ${policyAdmin}`).expect(200)).body.items;
      expect(listed.find((token: { id: string }) => token.id === unlimitedId)).toMatchObject({ expires_at: null, exceeds_policy: true });
      expect(listed.filter((token: { exceeds_policy: boolean }) => !token.exceeds_policy)).toHaveLength(1);

      await settings({ max_token_lifetime_days: null }).expect(200);
      await mint({}).expect(201);
    });
  });
});
