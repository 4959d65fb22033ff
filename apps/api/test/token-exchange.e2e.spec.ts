import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { createServer, type Server } from 'node:http';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

const EXCHANGE = '/api/v1/auth/token-exchange';
const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/** A real identity provider: key pairs, and their public JWKS served over HTTP on loopback. */
class FakeIssuer {
  published: JWK[] = [];
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
      if (request.url !== '/.well-known/jwks') return void response.writeHead(404).end();
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: this.published }));
    });
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
    t = await startTestApp({ JWKS_TIMEOUT_MS: '1000' });
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
      const res = await exchangeJwt(await idp.sign(rsa, 'rsa-1', 'RS256', ciClaims)).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({
        access_token: expect.stringMatching(/^ffp_[0-9A-Za-z]{40}$/),
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: 600,
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

  describe('refused subject tokens: 400 invalid_grant, nothing issued', () => {
    const refused = async (jwt: string, description: RegExp) => {
      const before = (await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM api_tokens WHERE origin = 'exchanged'`))[0]!.n;
      const res = await exchangeJwt(jwt).expect(400);
      expect(res.body).toEqual({ error: 'invalid_grant', error_description: expect.stringMatching(description) });
      expect((await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM api_tokens WHERE origin = 'exchanged'`))[0]!.n).toBe(before);
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
        await refused(await stranger.sign(rsa, 'rsa-1', 'RS256', ciClaims), /no organisation trusts the issuer/);
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
    expect((await exchangeJwt(jwt).expect(400)).body.error_description).toMatch(/no key of the issuer matches/);
    await idp.publish(rotated, 'rsa-2', 'RS256');
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the cool-down between fetches
    expect((await exchangeJwt(jwt).expect(200)).body.access_token).toMatch(/^ffp_/);
  });

  it('refuses a scope the issuer may not be granted, and an unknown one', async () => {
    const jwt = await idp.sign(rsa, 'rsa-1', 'RS256', ciClaims);
    expect((await exchangeJwt(jwt, { scope: 'dora:read' }).expect(400)).body).toEqual({ error: 'invalid_scope', error_description: expect.stringContaining('findings:write, not dora:read') });
    expect((await exchangeJwt(jwt, { scope: 'root' }).expect(400)).body.error).toBe('invalid_scope');
  });

  it('says clearly when the issuer keys cannot be fetched, and keeps serving', async () => {
    const down = new FakeIssuer();
    await down.start();
    const pair = await generateKeyPair('ES256');
    await down.publish(pair, 'k', 'ES256');
    await registerIdp(org.slug, admin, { issuer: down.issuer, jwks_uri: down.jwksUri, audience: 'dora' }).expect(201);
    const jwt = await down.sign(pair, 'k', 'ES256', ciClaims);
    await down.stop();
    const res = await exchangeJwt(jwt).expect(503);
    expect(res.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.stringContaining(`could not be fetched from ${down.jwksUri}`) });
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
    const jwt = await idp.sign(rsa, 'rsa-1', 'RS256', ciClaims);
    expect((await exchangeJwt(jwt, { audience: other.slug }).expect(400)).body.error).toBe('invalid_target');

    // Once two orgs trust the issuer, the caller must name one.
    await registerIdp(other.slug, otherAdmin, { issuer: idp.issuer, jwks_uri: idp.jwksUri, audience: 'dora' }).expect(201);
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

  describe('identity providers API', () => {
    it('lists them for admins, refuses unsafe or ambiguous ones, audits changes and removes them', async () => {
      const { secret: reader } = await createToken(t.app, org, ['dora:read']);
      await t.http().get(`/api/v1/orgs/${org.slug}/identity-providers`).set('Authorization', `Bearer ${reader}`).expect(403);
      const listed = (await t.http().get(`/api/v1/orgs/${org.slug}/identity-providers`).set('Authorization', `Bearer ${admin}`).expect(200)).body.items;
      expect(listed[0]).toMatchObject({ issuer: idp.issuer, jwks_uri: idp.jwksUri, inline_jwks: false, audience: 'dora', required_claims: { repository_owner: 'acme', ref: 'refs/heads/*' }, allowed_scopes: ['findings:write'], max_ttl_seconds: 600 });

      const bad = async (body: Record<string, unknown>, field: string) => {
        const res = await registerIdp(org.slug, admin, { issuer: 'https://issuer.example', audience: 'dora', ...body }).expect(400);
        expect(res.body.error.details).toEqual([expect.objectContaining({ field })]);
      };
      await bad({ jwks_uri: 'http://issuer.example/jwks' }, 'jwks_uri'); // plain http off loopback
      await bad({ jwks_uri: 'https://issuer.example/jwks', jwks: { keys: [{ kty: 'EC' }] } }, 'jwks_uri');
      await bad({ jwks_uri: 'https://issuer.example/jwks', max_ttl_seconds: 7200 }, 'max_ttl_seconds');
      await bad({ jwks_uri: 'https://issuer.example/jwks', allowed_scopes: ['root'] }, 'allowed_scopes');
      await bad({ jwks_uri: 'https://issuer.example/jwks', required_claims: { ref: 42 } }, 'required_claims');
      expect((await registerIdp(org.slug, admin, { issuer: idp.issuer, jwks_uri: idp.jwksUri, audience: 'x' }).expect(409)).body.error.code).toBe('conflict');

      const inline = await registerIdp(org.slug, admin, { issuer: 'https://inline.example', jwks: { keys: [await exportJWK(ec.publicKey)] }, audience: 'dora' }).expect(201);
      expect(inline.body).toMatchObject({ inline_jwks: true, jwks_uri: null, max_ttl_seconds: 900 });
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
