import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import { SCOPES } from '@dora/domain';
import fc from 'fast-check';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import type { Test } from 'supertest';
import { UsersService } from '../src/modules/auth/users.service.js';
import { HostResolver } from '../src/modules/auth/token-exchange/jwks-keys.js';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import {
  CONTENT_TYPES,
  PropertyFailure,
  base64url,
  checkApiAnswer,
  closeOwnerPool,
  checkHealthy,
  checkNoPrototypePollution,
  checkOAuthAnswer,
  checkWrites,
  describeAnswer,
  FuzzStats,
  fuzzFile,
  hostileJson,
  hostileNumber,
  hostileString,
  isPlainObject,
  isPrototypeName,
  isStorable,
  jsonText,
  listen,
  orgRows,
  type OrgRows,
  percentEncode,
  runs,
  sendRaw,
  truncate,
  withOwnKey,
} from './support/fuzz-support.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

/*
 * Hostile input for the endpoints that take credentials or change an org, through the real HTTP app:
 * POST /api/v1/auth/login (mostly malformed bodies, which are refused before the 128 MiB scrypt; a few
 * well-formed ones), POST /api/v1/auth/token-exchange (random forms and JSON, random JWT-looking
 * tokens, a few valid ones), and the admin bodies: settings PUT, token mint and rotate, identity
 * providers, Forgejo owners (with a dora:admin token). Every case: no 5xx (but the documented 503s),
 * the one error shape — OAuth's on the token endpoint — and exactly the writes the answer implies
 * (a refusal writes nothing but the documented refusal events). FUZZ_SEED replays a run.
 */

const seed = fuzzFile('fuzz-auth');

const LOGIN = '/api/v1/auth/login';
const EXCHANGE = '/api/v1/auth/token-exchange';
const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
const ISSUER = `https://fuzz-${randomBytes(6).toString('hex')}.example`;
const KID = 'fuzz-key-1';
const PASSWORD = 'the right password, never sent by a fuzz case';

/** The body of a request, as a value (sent as JSON or a form) or as exact bytes. */
type Payload = { json: unknown } | { form: [string, string][] } | { raw: string | Buffer; type?: string | undefined };

function send(test: Test, payload: Payload): Test {
  if ('json' in payload) return sendRaw(test, jsonText(payload.json), 'application/json');
  if ('form' in payload) return sendRaw(test, payload.form.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&'), 'application/x-www-form-urlencoded');
  return sendRaw(test, payload.raw, payload.type);
}

function describePayload(payload: Payload): string {
  if ('json' in payload) return `JSON ${truncate(jsonText(payload.json), 240)}`;
  if ('form' in payload) return `form ${truncate(JSON.stringify(payload.form), 240)}`;
  return `${payload.type ?? '(no Content-Type)'} ${truncate(typeof payload.raw === 'string' ? payload.raw : payload.raw.toString('latin1'), 240)}`;
}

/**
 * Unknown keys for the bodies here. `__proto__`, `constructor`, `toString`, … are left to fuzz-ingest's
 * "prototype keys" property: the validation pipe is shared, and one bug should fail one property.
 */
const unknownKey = (extra: string[] = []) => fc.oneof(hostileString, fc.constantFrom(...extra)).filter((key) => !isPrototypeName(key));

/** Bodies that are not a JSON object at all: broken, other types, empty. */
const junkBody: fc.Arbitrary<Payload> = fc.oneof(
  fc.constantFrom('', '{', '{"email":', '[]', '[{}]', 'null', '"x"', '0', '{"a":1}}', '{"email":"a","password":"b",}', "{'email':'a'}", '\ufeff', 'email=a&password=b').map((raw) => ({ raw, type: 'application/json' })),
  fc.tuple(fc.string({ maxLength: 60 }), fc.constantFrom(...CONTENT_TYPES, undefined)).map(([raw, type]) => ({ raw, type })),
);
/** Bodies around the 64 KiB limit, as JSON or a form. */
const bigBody: fc.Arbitrary<Payload> = fc
  .tuple(fc.integer({ min: -2, max: 2 }), fc.constantFrom('application/json', 'application/x-www-form-urlencoded'))
  .map(([delta, type]) => {
    const shell = type === 'application/json' ? ['{"email":"', '","password":"x"}'] : ['grant_type=x&subject_token=', ''];
    return { raw: `${shell[0]}${'a'.repeat(64 * 1024 + delta - shell[0]!.length - shell[1]!.length)}${shell[1]}`, type };
  });

describe(`fuzz: sign-in, token exchange and the admin bodies (FUZZ_SEED=${seed})`, () => {
  let t: TestApp;
  let org: Tenant;
  let write: string;
  let admin: string;
  let rotatable: string;
  let knownEmail: string;
  let userId: string;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  const stats = new FuzzStats('fuzz-auth', seed);

  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: 'loopback',
      SIGN_IN_FAILURES_PER_ADDRESS: '10000',
      SIGN_IN_FAILURES_PER_ACCOUNT: '1000000',
      TOKEN_EXCHANGE_RATE_LIMIT_PER_MINUTE: '1000000',
    });
    await listen(t);
    // Names resolve to a public address at once: a registration's jwks_uri never waits on DNS.
    t.app.get(HostResolver).lookup = async () => [{ address: '203.0.113.9', family: 4 }];
    org = await createOrg(t.app, 'fuzz-auth');
    ({ secret: write } = await createToken(t.app, org));
    ({ secret: admin } = await createToken(t.app, org, ['dora:read', 'dora:admin']));
    ({ id: rotatable } = await createToken(t.app, org, ['dora:read']));
    knownEmail = `fuzz-login@${org.slug}.test`;
    ({ user: { id: userId } } = await t.app.get(UsersService).addToOrg({ email: knownEmail, tenantId: org.id, role: 'admin', password: PASSWORD }, { type: 'system', id: 'cli' }));
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    const res = await t
      .http()
      .post(`/api/v1/orgs/${org.slug}/identity-providers`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ issuer: ISSUER, jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'ES256', use: 'sig' }] }, audience: 'dora', required_claims: { repository_owner: 'fuzz' }, max_ttl_seconds: 600 });
    if (res.status !== 201) throw new Error(`registering the fuzz issuer: ${describeAnswer(res)}`);
  });
  afterAll(async () => {
    console.log(stats.report());
    await closeOwnerPool();
    await t?.close();
  });

  /** The org's rows around a whole property, expecting `expected(counts)` of the answers seen. */
  async function accounted<C>(counts: C, run: () => Promise<void>, expected: (counts: C, before: OrgRows, after: OrgRows) => Parameters<typeof checkWrites>[2]): Promise<void> {
    const before = await orgRows(org.id);
    await run();
    const after = await orgRows(org.id);
    checkWrites(before, after, expected(counts, before, after));
  }

  // -------------------------------------------------------------------------------------------
  // Sign-in
  // -------------------------------------------------------------------------------------------

  it('sign-in with malformed bodies (most cases: refused before hashing) and a few well-formed wrong credentials: 400/413/415 or 401, never a 5xx; only auth.login.failed of the known user is written', async () => {
    const property = 'login';
    // Clearly outside the DTO's bounds (3-254 and 1-1024 characters), so no length counting is in doubt.
    const shortOrLong = fc.oneof(fc.string({ maxLength: 2, unit: 'grapheme-ascii' }), fc.integer({ min: 255, max: 2000 }).map((n) => 'e'.repeat(n)));
    const malformed: fc.Arbitrary<Payload> = fc.oneof(
      { weight: 3, arbitrary: fc.record({ email: fc.oneof(hostileJson.filter((v) => typeof v !== 'string'), shortOrLong), password: fc.oneof(hostileJson, fc.constant('')) }, { requiredKeys: [] }).map((json) => ({ json })) },
      { weight: 2, arbitrary: fc.record({ email: fc.constant('someone@example.test'), password: fc.oneof(fc.constant(''), fc.integer({ min: 1025, max: 5000 }).map((n) => 'p'.repeat(n)), hostileJson.filter((v) => typeof v !== 'string')) }).map((json) => ({ json })) },
      { weight: 1, arbitrary: fc.tuple(unknownKey(['isAdmin', 'role', 'email ', 'Email']), hostileJson).map(([key, value]) => ({ json: withOwnKey({ email: knownEmail, password: 'wrong' }, key === 'email' || key === 'password' ? 'x' : key, value) })) },
      { weight: 1, arbitrary: hostileJson.filter((v) => !isPlainObject(v)).map((json) => ({ json })) },
      { weight: 2, arbitrary: junkBody },
      { weight: 1, arbitrary: bigBody },
    );
    const variants: Record<string, (email: string) => string> = { 'as is': (e) => e, 'upper case': (e) => e.toUpperCase(), 'in spaces': (e) => ` ${e} `, 'after a tab': (e) => `\t${e}` };
    const wellFormed: fc.Arbitrary<Payload> = fc
      .record({
        email: fc.oneof(
          fc.constantFrom(...Object.keys(variants)).map((known) => ({ known })),
          fc.oneof(fc.emailAddress(), hostileString).filter((s) => s.length >= 5 && s.length <= 200).map((s) => ({ text: s })),
        ),
        password: fc.oneof(hostileString, fc.string({ minLength: 1, maxLength: 64 })).filter((s) => s.length >= 2 && s.length <= 1000),
      })
      .map(({ email, password }) => ({ json: { email: 'known' in email ? variants[email.known]!(knownEmail) : email.text, password } }));
    const counts = { knownFailures: 0 };
    const sessions = async () => (await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [userId]))[0]!.n;
    const sessionsBefore = await sessions();
    await accounted(
      counts,
      () =>
        fc.assert(
          fc.asyncProperty(fc.oneof({ weight: 49, arbitrary: malformed }, { weight: 1, arbitrary: wellFormed }), fc.ipV4(), async (payload, address) => {
            const res = await stats.request(property, describePayload(payload), () => send(t.http().post(LOGIN).set('X-Forwarded-For', address) as Test, payload));
            checkApiAnswer(res, { statuses: [400, 401, 413, 415, 429, 503], documented503: ['overloaded'] });
            checkNoPrototypePollution();
            const body = 'json' in payload ? payload.json : undefined;
            const formed = isPlainObject(body) && Object.keys(body).sort().join() === 'email,password' && typeof body.email === 'string' && typeof body.password === 'string' && body.email.length >= 5 && body.email.length <= 200 && body.password.length >= 2 && body.password.length <= 1000 && isStorable(body.email) && isStorable(body.password);
            if (formed && ![401, 429, 503].includes(res.status)) throw new PropertyFailure(`well-formed credentials, yet ${describeAnswer(res)}`);
            if (!formed && ![400, 413, 415].includes(res.status)) throw new PropertyFailure(`a malformed body (${describePayload(payload)}), yet ${describeAnswer(res)}`);
            if (formed && res.status === 401 && (body.email as string).trim().toLowerCase() === knownEmail) counts.knownFailures++;
          }),
          { ...runs(seed, 300), examples: [[{ json: { email: 'a\u0000@example.test', password: 'xx' } }, '203.0.113.1']] },
        ),
      ({ knownFailures }) => ({ actions: knownFailures ? { 'auth.login.failed': knownFailures } : ({} as Record<string, number>) }),
    );
    if ((await sessions()) !== sessionsBefore) throw new PropertyFailure('a refused sign-in made a session');
  });

  // -------------------------------------------------------------------------------------------
  // Token exchange
  // -------------------------------------------------------------------------------------------

  it('token exchange with random forms and JSON, JWT-looking tokens (alg none, HS256, huge kid, random iss) and a few valid ones: OAuth errors only, never a 5xx; only what the answers imply is written', async () => {
    const property = 'token exchange';
    const now = Math.floor(Date.now() / 1000);
    const segment = (value: fc.Arbitrary<unknown>) => value.map((v) => base64url(jsonText(v)));
    const header = fc.record(
      {
        alg: fc.oneof(fc.constantFrom('none', 'None', 'NONE', 'HS256', 'HS512', 'RS256', 'ES256', 'EdDSA', 'PS256', 'ES512', ''), hostileJson),
        kid: fc.oneof(fc.constant(KID), hostileString, fc.integer({ min: 1000, max: 30_000 }).map((n) => 'k'.repeat(n)), hostileJson),
        typ: fc.constantFrom('JWT', 'at+jwt', 'JWE'),
        crit: fc.constantFrom(['b64'], ['exp'], []),
        jku: fc.constant('https://127.0.0.1/jwks'),
        b64: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    const times = fc.oneof(fc.constantFrom(now - 600, now - 30, now, now + 60, now + 300, now + 86_400 * 400), hostileNumber, hostileJson);
    const claims = fc.record(
      {
        iss: fc.oneof({ weight: 3, arbitrary: fc.constant<unknown>(ISSUER) }, { weight: 2, arbitrary: hostileString }, { weight: 1, arbitrary: hostileJson }, { weight: 1, arbitrary: fc.constantFrom(`${ISSUER}/`, ISSUER.toUpperCase(), `${ISSUER}\u0000`, 'https://token.actions.githubusercontent.com') }),
        sub: fc.oneof(fc.constant('repo:fuzz/web:ref:refs/heads/main'), hostileString, hostileJson),
        aud: fc.oneof(fc.constantFrom<unknown>('dora', ['dora', 'other'], 'DORA'), hostileJson),
        exp: times,
        iat: times,
        nbf: times,
        jti: fc.oneof(fc.uuid(), hostileString),
        repository_owner: fc.oneof(fc.constant('fuzz'), hostileString),
      },
      { requiredKeys: [] },
    );
    const signature = fc.oneof(fc.constant(''), fc.base64String({ maxLength: 90 }).map((s) => s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')), fc.constantFrom('AAAA', '...', '%00'), hostileString);
    const jwtLike = fc.oneof(
      { weight: 6, arbitrary: fc.tuple(segment(header), segment(claims), signature).map((parts) => parts.join('.')) },
      { weight: 1, arbitrary: fc.tuple(segment(header), segment(claims)).map((parts) => parts.join('.')) },
      { weight: 1, arbitrary: fc.array(fc.oneof(segment(hostileJson), fc.base64String({ maxLength: 40 }), hostileString), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('.')) },
      { weight: 1, arbitrary: hostileString },
    );
    /** A token the fuzz issuer really signed: with good claims it is accepted. */
    const signed = fc.record({ sub: fc.oneof(fc.constant('repo:fuzz/web'), hostileString), repository_owner: fc.constantFrom('fuzz', 'fuzz', 'other'), aud: fc.constantFrom('dora', 'dora', 'nobody'), expIn: fc.constantFrom(300, 3600, -300), jti: fc.option(fc.uuid(), { nil: undefined }) });
    const subjectToken = fc.oneof({ weight: 12, arbitrary: jwtLike.map((token) => ({ token })) }, { weight: 1, arbitrary: signed.map((spec) => ({ spec })) });
    const field = (known: fc.Arbitrary<string>) => fc.oneof({ weight: 6, arbitrary: known.map((v) => ({ v })) }, { weight: 1, arbitrary: fc.constant({ missing: true as const }) }, { weight: 1, arbitrary: hostileString.map((v) => ({ v })) }, { weight: 1, arbitrary: hostileJson.map((v) => ({ v })) });
    const request = fc.record({
      grant_type: field(fc.constantFrom(GRANT, GRANT, GRANT, 'authorization_code', 'client_credentials', `${GRANT} `, GRANT.toUpperCase())),
      subject_token_type: field(fc.constantFrom(JWT_TYPE, JWT_TYPE, ID_TOKEN_TYPE, 'urn:ietf:params:oauth:token-type:access_token', '')),
      scope: field(fc.constantFrom('findings:write', 'findings:write', 'dora:read', 'dora:admin', 'findings:write dora:read', ' findings:write ', 'findings:write\tfindings:write', 'admin')),
      audience: fc.oneof(fc.constant({ missing: true as const }), field(fc.constantFrom('SLUG', 'nobody', ''))),
      requested_token_type: fc.oneof({ weight: 4, arbitrary: fc.constant({ missing: true as const }) }, { weight: 1, arbitrary: field(fc.constantFrom('urn:ietf:params:oauth:token-type:access_token', 'urn:ietf:params:oauth:token-type:refresh_token')) }),
      actor_token: fc.oneof({ weight: 6, arbitrary: fc.constant({ missing: true as const }) }, { weight: 1, arbitrary: field(fc.constantFrom('x')) }),
      extra: fc.array(fc.tuple(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'client_secret', 'grant_type')), fc.oneof(hostileString, hostileJson)), { maxLength: 2 }),
      encoding: fc.constantFrom('form', 'form', 'json', 'json', 'raw'),
      subject: subjectToken,
    });
    const counts = { issued: 0, refusalsPossible: 0 };
    await accounted(
      counts,
      () =>
        fc.assert(
          fc.asyncProperty(request, junkBody, async (r, junk) => {
            let token: string;
            if ('token' in r.subject) token = r.subject.token;
            else {
              const { sub, repository_owner, aud, expIn, jti } = r.subject.spec;
              const jwt = new SignJWT({ repository_owner, ...(jti ? { jti } : {}) }).setProtectedHeader({ alg: 'ES256', kid: KID, typ: 'JWT' }).setIssuer(ISSUER).setSubject(sub).setAudience(aud).setIssuedAt().setExpirationTime(Math.floor(Date.now() / 1000) + expIn);
              token = await jwt.sign(privateKey);
            }
            const fields: [string, unknown][] = [];
            const add = (name: string, f: { v: unknown } | { missing: true }) => {
              if ('v' in f) fields.push([name, f.v === 'SLUG' ? org.slug : f.v]);
            };
            add('grant_type', r.grant_type);
            fields.push(['subject_token', token]);
            add('subject_token_type', r.subject_token_type);
            add('scope', r.scope);
            add('audience', r.audience);
            add('requested_token_type', r.requested_token_type);
            add('actor_token', r.actor_token);
            // The bodies here stay under the 64 KiB limit (the limit has its own property): extra fields go first when too long.
            const size = (list: [string, unknown][]) => list.reduce((n, [key, value]) => n + Buffer.byteLength(percentEncode(key)) + Buffer.byteLength(percentEncode(jsonText(value))), 0);
            if (size([...fields, ...r.extra]) < 60_000) fields.push(...r.extra);
            const payload: Payload =
              r.encoding === 'json'
                ? { json: fields.reduce((object, [key, value]) => withOwnKey(object, key, value), {} as Record<string, unknown>) }
                : r.encoding === 'form'
                  ? { form: fields.map(([key, value]) => [key, typeof value === 'string' ? value : jsonText(value)] as [string, string]) }
                  : junk;
            const res = await stats.request(property, describePayload(payload), () => send(t.http().post(EXCHANGE) as Test, payload));
            checkOAuthAnswer(res, { statuses: [200, 400] });
            checkNoPrototypePollution();

            // As the endpoint reads them (the last of repeated fields; only non-empty strings count).
            const read = new Map<string, unknown>('form' in payload ? payload.form : fields);
            const text = (name: string) => (typeof read.get(name) === 'string' && read.get(name) !== '' ? (read.get(name) as string) : undefined);
            const wellFormed =
              r.encoding !== 'raw' &&
              text('grant_type') === GRANT &&
              [JWT_TYPE, ID_TOKEN_TYPE].includes(text('subject_token_type') ?? '') &&
              text('requested_token_type') === undefined &&
              text('actor_token') === undefined;
            const scopes = (text('scope') ?? 'findings:write').split(/\s+/).filter(Boolean);
            const audience = text('audience');
            let iss: unknown;
            try {
              iss = decodeJwt(token).iss;
            } catch {
              iss = undefined;
            }
            if (wellFormed && iss === ISSUER && (audience === undefined || audience === org.slug) && scopes.every((s) => (SCOPES as readonly string[]).includes(s) && s !== 'dora:admin')) counts.refusalsPossible++;
            const acceptable =
              wellFormed && 'spec' in r.subject && isStorable(r.subject.spec.sub) && r.subject.spec.repository_owner === 'fuzz' && r.subject.spec.aud === 'dora' && r.subject.spec.expIn > 0 && scopes.length > 0 && scopes.every((s) => s === 'findings:write') && (audience === undefined || audience === org.slug);
            if (acceptable && res.status !== 200) throw new PropertyFailure(`a valid exchange (${describePayload(payload)}) answered ${describeAnswer(res)}`);
            if (res.status === 200) {
              if (!acceptable) throw new PropertyFailure(`an exchange that should be refused (${describePayload(payload)}) answered ${describeAnswer(res)}`);
              if (!/^ffp_[0-9A-Za-z]{40}$/.test(res.body.access_token) || res.body.token_type !== 'Bearer' || !String(res.body.scope).split(' ').every((scope) => scope === 'findings:write')) throw new PropertyFailure(`a token answer of the wrong shape: ${describeAnswer(res)}`);
              counts.issued++;
            }
          }),
          { ...runs(seed, 1500), examples: [
            [
              { grant_type: { v: GRANT }, subject_token_type: { v: JWT_TYPE }, scope: { v: 'findings:write' }, audience: { missing: true }, requested_token_type: { missing: true }, actor_token: { missing: true }, extra: [], encoding: 'form', subject: { token: 'e30.eyJpc3MiOiJcdTAwMDAifQ.' } }, // {} . {"iss":"\u0000"} .
              { raw: '', type: 'application/json' },
            ],
            [
              // A token the trusted issuer really signed, whose sub has a NUL.
              { grant_type: { v: GRANT }, subject_token_type: { v: JWT_TYPE }, scope: { v: 'findings:write' }, audience: { missing: true }, requested_token_type: { missing: true }, actor_token: { missing: true }, extra: [], encoding: 'form', subject: { spec: { sub: 'a\u0000b', repository_owner: 'fuzz', aud: 'dora', expIn: 300, jti: undefined } } },
              { raw: '', type: 'application/json' },
            ],
          ] },
        ),
      ({ issued, refusalsPossible }, before, after) => {
        // A refusal of a token of the trusted issuer is written to the org's audit log (DESIGN §7), at most once per such request.
        const refusals = (after.actions['auth.token.exchange_refused'] ?? 0) - (before.actions['auth.token.exchange_refused'] ?? 0);
        if (refusals > refusalsPossible) throw new PropertyFailure(`${refusals} refusal events for at most ${refusalsPossible} refusable requests`);
        return { api_tokens: issued, actions: { ...(issued ? { 'auth.token.exchanged': issued } : {}), ...(refusals ? { 'auth.token.exchange_refused': refusals } : {}) } };
      },
    );
  });

  it('the token endpoint answers bodies of 64 KiB − 2 to 64 KiB + 2 bytes in OAuth’s terms too (a 400, or a 413 over the limit, with { error, error_description }), never with the service’s error body', async () => {
    const property = 'token exchange, body size';
    await fc.assert(
      fc.asyncProperty(bigBody, async (payload) => {
        const res = await stats.request(property, describePayload(payload), () => send(t.http().post(EXCHANGE) as Test, payload));
        checkOAuthAnswer(res, { statuses: 'raw' in payload && Buffer.byteLength(payload.raw) > 64 * 1024 ? [413] : [400] });
      }),
      runs(seed, 20),
    );
  });

  // -------------------------------------------------------------------------------------------
  // Admin bodies
  // -------------------------------------------------------------------------------------------

  /** One admin request, its checks, and the writes its answer implies (counted around it). */
  async function adminCase(property: string, method: 'post' | 'put', path: string, payload: Payload, statuses: number[], writesOf: (status: number, before: OrgRows) => Parameters<typeof checkWrites>[2]): Promise<void> {
    // The rows after the previous case are the rows before this one (nothing else writes into this org).
    const before = (snapshot ??= await orgRows(org.id));
    const label = `${method.toUpperCase()} ${truncate(path, 120)} ${describePayload(payload)}`;
    const res = await stats.request(property, label, () => send(t.http()[method](`/api/v1/orgs/${org.slug}/${path}`).set('Authorization', `Bearer ${admin}`) as Test, payload));
    const after = (snapshot = await orgRows(org.id));
    checkApiAnswer(res, { statuses });
    checkNoPrototypePollution();
    checkWrites(before, after, writesOf(res.status, before), `${label} → ${describeAnswer(res)}`);
  }
  let snapshot: OrgRows | undefined;
  beforeEach(() => {
    snapshot = undefined;
  });

  /** A body: mostly the DTO's fields with hostile values, sometimes unknown keys, sometimes no object at all. */
  function adminBody(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Payload> {
    const object = fc
      .tuple(fc.record(fields, { requiredKeys: [] }), fc.array(fc.tuple(unknownKey(['id', 'tenant_id', 'created_by']), hostileJson), { maxLength: 1 }))
      .map(([known, extra]) => ({ json: extra.reduce((body, [key, value]) => withOwnKey(body, key, value), { ...known } as Record<string, unknown>) }) as Payload);
    return fc.oneof({ weight: 8, arbitrary: object }, { weight: 1, arbitrary: junkBody }, { weight: 1, arbitrary: hostileJson.filter((v) => !isPlainObject(v)).map((json) => ({ json }) as Payload) });
  }

  const some = <T,>(known: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: known as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: hostileJson }, { weight: 1, arbitrary: hostileString });

  it('token mint bodies (hostile names, scopes, expiries): 201 with one token and its event, or 400 and nothing', async () => {
    const property = 'mint';
    const body = adminBody({
      name: some(fc.oneof(fc.string({ minLength: 1, maxLength: 100 }), fc.constantFrom('ci', ' ', ' x ', 'x'.repeat(100), 'x'.repeat(101)))),
      scopes: some(fc.array(fc.oneof(fc.constantFrom(...SCOPES), hostileString), { maxLength: 4 })),
      expires_in_days: some(fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 3650 }), fc.constantFrom(0, 3651, 1.5, -1))),
    });
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        await adminCase(property, 'post', 'tokens', payload, [201, 400, 413, 415], (status) => (status === 201 ? { api_tokens: 1, actions: { 'auth.token.created': 1 } } : {}));
      }),
      { ...runs(seed, 100), examples: [[{ json: { name: '\u0000', scopes: ['dora:read'] } }]] },
    );
  });

  it('token rotate with hostile ids and bodies: 201 once for its own token (one new token and its event), else 400/404/409 and nothing', async () => {
    const property = 'rotate';
    const id = fc.oneof(
      { weight: 1, arbitrary: fc.constant('ROTATABLE') },
      { weight: 3, arbitrary: fc.uuid() },
      { weight: 3, arbitrary: hostileString.map((s) => percentEncode(s)).filter((s) => s.length > 0 && s.length < 8000) },
      { weight: 2, arbitrary: fc.constantFrom('..', '.', '%2e%2e', '%00', 'a%00', '%ZZ', '%', 'x'.repeat(5000), '%2F') },
    );
    const body = adminBody({ grace_hours: some(fc.oneof(fc.integer({ min: 0, max: 720 }), fc.constantFrom(-1, 721, 0.5, 1e308))) });
    await fc.assert(
      fc.asyncProperty(id, body, async (tokenId, payload) => {
        const path = `tokens/${tokenId === 'ROTATABLE' ? rotatable : tokenId}/rotate`;
        await adminCase(property, 'post', path, payload, [201, 400, 404, 409, 413, 415], (status) => (status === 201 ? { api_tokens: 1, actions: { 'auth.token.rotated': 1 } } : {}));
      }),
      runs(seed, 80),
    );
  });

  it('identity-provider registrations (hostile issuers, JWKS, claims, scopes, lifetimes): 201 with the provider and its event, or 400/409 and nothing', async () => {
    const property = 'identity providers';
    const jwk = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
    const body = adminBody({
      issuer: some(fc.oneof(fc.uuid().map((u) => `https://fuzz-idp-${u}.example`), fc.constantFrom('https://token.actions.githubusercontent.com', 'x'.repeat(500), 'x'.repeat(501)))),
      jwks_uri: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: some(fc.constantFrom('https://keys.example.com/jwks', 'http://keys.example.com/jwks', 'https://127.0.0.1/jwks', 'https://[::1]/jwks', 'https://localhost/jwks', 'https://user:pw@keys.example.com/', 'file:///etc/passwd', 'https://169.254.169.254/latest', 'https://[::ffff:10.0.0.1]/', 'https://0x7f000001/')) }),
      jwks: fc.oneof({ weight: 3, arbitrary: fc.constant({ keys: [jwk] }) }, { weight: 1, arbitrary: fc.constant({ keys: [] }) }, { weight: 1, arbitrary: hostileJson.map((key) => ({ keys: [key] })) }, { weight: 1, arbitrary: hostileJson }),
      audience: some(fc.constantFrom('dora', 'x'.repeat(500), '')),
      required_claims: some(fc.oneof(fc.constant({ repository_owner: 'fuzz' }), fc.dictionary(hostileString, fc.oneof(hostileString, fc.constantFrom('fuzz', 'refs/heads/*', '*'), hostileJson), { maxKeys: 3 }))),
      allowed_scopes: some(fc.array(fc.oneof(fc.constantFrom(...SCOPES), hostileString), { maxLength: 3 })),
      max_ttl_seconds: some(fc.oneof(fc.integer({ min: 60, max: 3600 }), fc.constantFrom(59, 3601, 60.5))),
      allow_any_subject: some(fc.boolean()),
    });
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        await adminCase(property, 'post', 'identity-providers', payload, [201, 400, 409, 413, 415], (status) => (status === 201 ? { identity_providers: 1, actions: { 'identity_provider.added': 1 } } : {}));
      }),
      { ...runs(seed, 120), examples: [[{ json: { issuer: `https://fuzz-idp-${randomBytes(6).toString('hex')}.example`, jwks: { keys: [jwk] }, audience: 'dora', required_claims: { repository_owner: '\u0000' } } }]] },
    );
  });

  it('Forgejo owner mappings (hostile logins): 201 with the mapping and its event, 409 for a mapped owner, or 400 — and nothing', async () => {
    const property = 'forgejo owners';
    const body = adminBody({ owner: some(fc.oneof(fc.stringMatching(/^[0-9a-f]{12}$/).map((hex) => `fzo-${hex}`), fc.stringMatching(/^[0-9a-f]{12}$/).map((hex) => `FZO.${hex.toUpperCase()}`), fc.constantFrom(`fzo${'x'.repeat(37)}`, `fzo${'x'.repeat(38)}`, '-fzo', '.fzo', 'fzo/x', 'fzo x'))) });
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        await adminCase(property, 'post', 'forgejo-owners', payload, [201, 400, 409, 413, 415], (status) => (status === 201 ? { forgejo_owners: 1, actions: { 'forgejo.owner.mapped': 1 } } : {}));
      }),
      runs(seed, 100),
    );
  });

  it('settings PUT bodies (hostile windows, time zones, lifetimes): 200 with exactly the new settings and one event, or 400 with the settings unchanged', async () => {
    const property = 'settings';
    const body = adminBody({
      window_days: some(fc.constantFrom(7, 30, 90, 1, 0, -0, 7.5, 365)),
      timezone: some(fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kolkata', 'America/St_Johns', 'Etc/GMT+12', 'Pacific/Kiritimati', 'utc', 'Europe/Nowhere', 'UTC\u0000', 'x'.repeat(64), 'x'.repeat(65), '')),
      max_token_lifetime_days: some(fc.constantFrom(null, 1, 30, 3650, 0, 3651, 1.5)),
    });
    try {
      await fc.assert(
        fc.asyncProperty(body, async (payload) => {
          await adminCase(property, 'put', 'dora/settings', payload, [200, 400, 413, 415], (status, before) => {
            if (status !== 200) return {};
            const json = (payload as { json: Record<string, unknown> }).json;
            const [window, timezone, lifetime] = before.settings.split('|');
            const after = [json.window_days ?? window, json.timezone ?? timezone, json.max_token_lifetime_days === undefined ? lifetime : (json.max_token_lifetime_days ?? 'null')].join('|');
            return { settings: after, actions: { 'dora.settings.updated': 1 } };
          });
        }),
        { ...runs(seed, 100), examples: [[{ json: { timezone: '\u0000' } }]] },
      );
    } finally {
      // The defaults again, so nothing else in this file runs under a lifetime cap.
      await t.http().put(`/api/v1/orgs/${org.slug}/dora/settings`).set('Authorization', `Bearer ${admin}`).send({ window_days: 30, timezone: 'UTC', max_token_lifetime_days: null });
    }
  });

  it('is still healthy afterwards: /healthz and /readyz 200, a valid ingest 201, and the right password still signs in', async () => {
    await checkHealthy(t, write);
    const res = await t.http().post(LOGIN).set('X-Forwarded-For', '198.51.100.77').send({ email: knownEmail, password: PASSWORD });
    if (res.status !== 200) throw new PropertyFailure(`the right password: ${describeAnswer(res)}`);
  });
});
