import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import fc from 'fast-check';
import type { Test } from 'supertest';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import {
  CONTENT_TYPES,
  NASTY_STRINGS,
  NUMBER_LITERALS,
  PropertyFailure,
  YEAR_1_MS,
  YEAR_9999_MS,
  checkApiAnswer,
  closeOwnerPool,
  checkHealthy,
  checkNoPrototypePollution,
  checkWrites,
  classifyTimestamp,
  describeAnswer,
  formatTimestamp,
  FuzzStats,
  fuzzFile,
  hostileJson,
  hostileString,
  hostileTimestamp,
  invalidUtf8,
  isPlainObject,
  isPrototypeName,
  isStorable,
  jsonText,
  listen,
  orgRows,
  type OrgRows,
  runs,
  sendRaw,
  truncate,
  validTimestamp,
  withOwnKey,
} from './support/fuzz-support.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

/*
 * Hostile input for POST /api/v1/dora/deployments (DESIGN §5, README "Reporting deployments"), through
 * the real HTTP app. Every case: no 5xx, the one error shape, the status an independent reading of the
 * contract expects (valid → 201, or 200 for a replayed external_ref; invalid → 400 naming the field;
 * 413 over 256 KiB; 415 not JSON), and a refused request writes nothing (counted per case, or per
 * property where the cases are many and cheap). FUZZ_SEED replays a run (see support/fuzz-support.ts).
 */

const seed = fuzzFile('fuzz-ingest');

const URL = '/api/v1/dora/deployments';
const LIMIT = 256 * 1024;
const MAX_FUTURE_MS = 5 * 60_000;
const FIELDS = ['repo_full_name', 'environment', 'deployed_at', 'commit_sha', 'committed_at', 'success', 'is_rework', 'external_ref'] as const;
type Field = (typeof FIELDS)[number];
const STRING_FIELDS: Field[] = ['repo_full_name', 'environment', 'deployed_at', 'commit_sha', 'committed_at', 'external_ref'];
const NULLABLE = new Set<string>(['commit_sha', 'committed_at', 'external_ref']);
const REQUIRED: Field[] = ['repo_full_name', 'environment', 'deployed_at'];
const INGESTED = { dora_deployments: 1, actions: { 'api.dora.deployments.ingested': 1 } };

// ---------------------------------------------------------------------------------------------
// The contract, read independently of the service
// ---------------------------------------------------------------------------------------------

type Verdict = 'valid' | 'invalid' | 'either';
interface Expectation {
  statuses: number[];
  code?: string;
  /** Fields a 400 must name. */
  fields?: string[];
  /** Fields of which a 400 must name at least one (a hostile body is refused at its first hazard). */
  anyOf?: string[];
  /** The dedupe key of a valid body with an external_ref. */
  key?: string;
}

/** What the contract says of a parsed body, at a request sent at `sentAt` and answered at `answeredAt`. */
function classifyBody(body: unknown, sentAt: number, answeredAt: number): { verdict: Verdict; fields: string[]; anyOf?: string[]; key?: string } {
  if (!isPlainObject(body)) return { verdict: 'invalid', fields: [] };
  const hostile = hazards(body);
  if (hostile.length > 0) return { verdict: 'invalid', fields: [], anyOf: hostile };
  const invalid: string[] = [];
  let either = false;
  for (const key of Object.keys(body)) if (!(FIELDS as readonly string[]).includes(key)) invalid.push(key);
  const value = (field: Field) => (Object.prototype.hasOwnProperty.call(body, field) ? body[field] : undefined);
  for (const field of REQUIRED) if (value(field) === undefined || value(field) === null) invalid.push(field);
  const text = (field: Field, rule: (s: string) => boolean) => {
    const v = value(field);
    if (v === undefined || (v === null && NULLABLE.has(field))) return;
    if (typeof v !== 'string' || !rule(v)) invalid.push(field);
  };
  text('repo_full_name', (s) => s.length <= 255 && /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)+$/.test(s));
  text('environment', (s) => /^[A-Za-z0-9._/-]{1,64}$/.test(s));
  text('commit_sha', (s) => /^[0-9A-Fa-f]{7,64}$/.test(s));
  text('external_ref', (s) => /^\P{Cc}{1,255}$/u.test(s));
  for (const field of ['deployed_at', 'committed_at'] as const) {
    const v = value(field);
    if (v === undefined || (v === null && field === 'committed_at')) continue;
    const { verdict, instant } = classifyTimestamp(v);
    if (verdict === 'invalid') invalid.push(field);
    else if (verdict === 'either') either = true;
    else if (field === 'deployed_at' && instant! > sentAt + MAX_FUTURE_MS) {
      if (instant! > answeredAt + MAX_FUTURE_MS) invalid.push(field);
      else either = true; // the server's clock read somewhere between the two
    }
  }
  for (const field of ['success', 'is_rework'] as const) {
    const v = value(field);
    if (v !== undefined && typeof v !== 'boolean') invalid.push(field);
  }
  if (invalid.length > 0) return { verdict: 'invalid', fields: [...new Set(invalid)] };
  const ref = value('external_ref');
  // PostgreSQL stores what the driver sends: UTF-8, a lone surrogate as U+FFFD.
  const stored = (s: unknown) => Buffer.from(String(s), 'utf8').toString('utf8');
  const key = typeof ref === 'string' ? [body.repo_full_name, body.environment, ref].map(stored).join('\u0000') : undefined;
  return { verdict: either ? 'either' : 'valid', fields: [], key };
}

/**
 * The top-level fields of a body that hold what no field of ours can: a key naming a prototype property,
 * NUL or an unpaired surrogate anywhere (in keys or strings), or nesting deeper than 64 containers.
 */
function hazards(body: Record<string, unknown>): string[] {
  const found = new Set<string>();
  for (const [field, value] of Object.entries(body)) {
    const pending: [string, unknown, number][] = [[field, value, 2]];
    while (pending.length > 0 && !found.has(field)) {
      const [key, current, depth] = pending.pop()!;
      if (isPrototypeName(key) || !isStorable(key) || (typeof current === 'string' && !isStorable(current))) found.add(field);
      else if (typeof current === 'object' && current !== null) {
        if (depth > 64) found.add(field);
        else for (const [childKey, child] of Object.entries(current)) pending.push([Array.isArray(current) ? '0' : childKey, child, depth + 1]);
      }
    }
  }
  return [...found];
}

/** As body-parser reads a JSON body: a leading BOM dropped, strict (an object or array), else invalid_json. */
function parseBody(text: string): { ok: true; value: unknown } | { ok: false; empty: boolean } {
  const unbommed = text.replace(/^\ufeff/, '');
  if (unbommed === '') return { ok: false, empty: true };
  if (!/^[ \t\n\r]*[[{]/.test(unbommed)) return { ok: false, empty: false };
  try {
    return { ok: true, value: JSON.parse(unbommed) };
  } catch {
    return { ok: false, empty: false };
  }
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

const NOW = Date.now();
const segment = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
const repoFullName = fc.oneof(
  { weight: 4, arbitrary: fc.array(segment, { minLength: 2, maxLength: 4 }).map((parts) => parts.join('/')) },
  { weight: 1, arbitrary: fc.constantFrom('fuzz/replay', 'a/b', '-/.', '_._/._./-', `${'a'.repeat(127)}/${'b'.repeat(127)}`) },
);
const environment = fc.oneof(fc.constantFrom('production', 'staging', 'Production', 'eu/prod', 'x', 'e'.repeat(64), '...', '/', '//'), fc.stringMatching(/^[A-Za-z0-9._/-]{1,64}$/));
const commitSha = fc.oneof(fc.stringMatching(/^[0-9A-Fa-f]{7,64}$/), fc.constantFrom('abc1234', 'ABCDEF0', 'f'.repeat(64), '0'.repeat(40)));
const externalRef = fc
  .oneof(
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_STRINGS, 'deploy-12345', 'x'.repeat(255), '😀'.repeat(255), 'ع'.repeat(255)) },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 255 }) },
  )
  .filter((s) => /^\P{Cc}{1,255}$/u.test(s) && isStorable(s));
/** Offsets up to ±14:00 (every real zone's) for the bodies other properties start from; ±23:59 (all RFC 3339 allows) in the valid-bodies and date properties. */
const REAL_OFFSETS = 14 * 60;

/** Bodies the contract accepts: every field within its rules, optional ones absent or null. */
function bodies(maxOffsetMinutes: number): fc.Arbitrary<Record<string, unknown>> {
  const deployedAt = validTimestamp(YEAR_1_MS, NOW + 4 * 60_000, maxOffsetMinutes).map((t) => t.text);
  const committedAt = validTimestamp(YEAR_1_MS, YEAR_9999_MS, maxOffsetMinutes).map((t) => t.text);
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record(
        {
          repo_full_name: repoFullName,
          environment,
          deployed_at: deployedAt,
          commit_sha: fc.option(commitSha),
          committed_at: fc.option(committedAt),
          success: fc.boolean(),
          is_rework: fc.boolean(),
          external_ref: fc.option(externalRef),
        },
        { requiredKeys: ['repo_full_name', 'environment', 'deployed_at'] },
      ),
    },
    // Replays of a few keys: 201 first, then 200 with the stored row.
    { weight: 1, arbitrary: fc.record({ repo_full_name: fc.constant('fuzz/replay'), environment: fc.constant('production'), deployed_at: deployedAt, external_ref: fc.constantFrom('dup-a', 'dup-b', 'dup-c'), success: fc.boolean() }) },
  );
}
const validBody = bodies(23 * 60 + 59);
const baseBody = bodies(REAL_OFFSETS);

/** The JSON text of a body, with `key` set to raw JSON text (which may not be JSON at all). */
function withRawValue(body: Record<string, unknown>, key: string, raw: string): string {
  const marker = '\u0001raw\u0001';
  return jsonText({ ...body, [key]: marker }).replace(JSON.stringify(marker), raw);
}

type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'append'; text: string }
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number }
  | { op: 'wrap'; template: string }
  | { op: 'replace'; from: string; to: string }
  | { op: 'prefix-key'; text: string }
  | { op: 'trailing-comma' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('append' as const), text: fc.oneof(fc.constantFrom('}', ']', ',', 'x', ' ', '\n', '\u0000', ',"a":1}', '{}', 'null', '}}', '"', '\\', '\ufeff'), fc.string({ maxLength: 5 })) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 3 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('wrap' as const), template: fc.constantFrom('[%]', '{"body":%}', '[[%]]', '"%"', '%%', '% %', ' \n\t%\r\n ', '\ufeff%', '{"a":%,"b":%}', '[%,%]', '%,', '{%}') }),
  fc
    .constantFrom(['":', '"='], ['"', "'"], [',', ';'], ['{', '('], ['true', 'True'], ['"', ''], [',', ''], ['Z"', '"'], ['/', '\\/'], ['a', '\\u0061'])
    .map(([from, to]) => ({ op: 'replace' as const, from: from!, to: to! })),
  fc.record({ op: fc.constant('prefix-key' as const), text: fc.constantFrom('"success":"x",', '"success":true,', '"repo_full_name":1,', '"a":1,', '/*c*/', '"external_ref":null,', '"deployed_at":"2026-01-01T00:00:00Z",') }),
  fc.constant({ op: 'trailing-comma' as const }),
);

function applyMutation(text: string, m: Mutation): string {
  const at = (n: number) => n % (text.length + 1);
  switch (m.op) {
    case 'truncate':
      return text.slice(0, at(m.at));
    case 'append':
      return text + m.text;
    case 'insert':
      return text.slice(0, at(m.at)) + m.text + text.slice(at(m.at));
    case 'delete':
      return text.slice(0, at(m.at)) + text.slice(at(m.at) + 1);
    case 'wrap':
      return m.template.replaceAll('%', text);
    case 'replace':
      return text.replaceAll(m.from, m.to);
    case 'prefix-key':
      return text.replace('{', `{${m.text}`);
    case 'trailing-comma':
      return text.replace(/}$/, ',}');
  }
}

// ---------------------------------------------------------------------------------------------

describe(`fuzz: POST ${URL} (FUZZ_SEED=${seed})`, () => {
  let t: TestApp;
  let org: Tenant;
  let write: string;
  let read: string;
  let revoked: string;
  const stats = new FuzzStats('fuzz-ingest', seed);
  /** Dedupe keys stored so far: a valid body with one of them answers 200. */
  const stored = new Set<string>();
  /** The org's rows after the last per-case count (undefined: count again). */
  let snapshot: OrgRows | undefined;
  beforeEach(() => {
    snapshot = undefined;
  });

  beforeAll(async () => {
    t = await startTestApp({ INGEST_RATE_LIMIT_PER_MINUTE: '0' });
    await listen(t);
    org = await createOrg(t.app, 'fuzz-ingest');
    ({ secret: write } = await createToken(t.app, org));
    ({ secret: read } = await createToken(t.app, org, ['dora:read']));
    const gone = await createToken(t.app, org);
    await t.ownerQuery(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1`, [gone.id]);
    revoked = gone.secret;
  });
  afterAll(async () => {
    console.log(stats.report());
    await closeOwnerPool();
    await t?.close();
  });

  interface Sent {
    /** The exact bytes, or text sent as UTF-8. */
    body: string | Buffer;
    contentType?: string | undefined;
    authorization?: string | undefined;
  }

  /**
   * Sends one case and checks it. `expect` reads the contract for this case (it gets the send and
   * answer times, for the 5-minute rule); `perCase` counts the org's rows around it.
   */
  async function ingestCase(
    property: string,
    sent: Sent,
    expectation: (sentAt: number, answeredAt: number) => Expectation,
    writes: { perCase: boolean; accepted?: { n: number } },
  ): Promise<void> {
    // The org's rows before: those seen after the previous case (nothing else writes into this org).
    const before = writes.perCase ? (snapshot ??= await orgRows(org.id)) : undefined;
    const contentType = 'contentType' in sent ? sent.contentType : 'application/json';
    const authorization = 'authorization' in sent ? sent.authorization : `Bearer ${write}`;
    const label = `${contentType ?? '(no Content-Type)'}${authorization === `Bearer ${write}` ? '' : ` Authorization: ${authorization ?? '(none)'}`} ${truncate(typeof sent.body === 'string' ? sent.body : sent.body.toString('latin1'), 200)}`;
    const sentAt = Date.now();
    const res = await stats.request(property, label, () => {
      const req = t.http().post(URL);
      if (authorization !== undefined) req.set('Authorization', authorization);
      return sendRaw(req as Test, sent.body, contentType);
    });
    const answeredAt = Date.now();
    // Counted at once, so that the next case (or fast-check's shrinking after a failure here) starts from the truth.
    const after = writes.perCase ? await orgRows(org.id) : undefined;
    snapshot = after;
    checkApiAnswer(res, { statuses: [200, 201, 400, 401, 403, 413, 415] });
    checkNoPrototypePollution();
    const expected = expectation(sentAt, answeredAt);
    const fail = (what: string) => {
      throw new PropertyFailure(`${what}; sent ${label}; the answer was ${describeAnswer(res)}`);
    };
    if (!expected.statuses.includes(res.status)) fail(`expected ${expected.statuses.join(' or ')}`);
    if (expected.code && res.status >= 400 && res.body.error.code !== expected.code) fail(`expected error code ${expected.code}`);
    // A field is named by its own path or by one inside it (`deployed_at[0].__proto__` names deployed_at).
    const details = res.status === 400 ? ((res.body.error.details ?? []) as { field: string }[]) : [];
    const isNamed = (field: string) => details.some(({ field: path }) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`));
    const missing = res.status === 400 ? (expected.fields ?? []).filter((field) => !isNamed(field)) : [];
    if (missing.length > 0) fail(`the 400 does not name ${missing.join(', ')}`);
    if (res.status === 400 && expected.anyOf?.length && !expected.anyOf.some(isNamed)) fail(`the 400 names none of ${expected.anyOf.join(', ')}`);
    if (res.status === 200 || res.status === 201) {
      const keys = Object.keys(res.body).sort().join();
      if (keys !== 'deduped,deployed_at,environment,id,repo_full_name,tenant_id') fail('a success body that is not { id, tenant_id, repo_full_name, environment, deployed_at, deduped }');
      if (res.body.tenant_id !== org.id || res.body.deduped !== (res.status === 200)) fail('a success body of another org, or deduped not matching the status');
      if (res.status === 201 && writes.accepted) writes.accepted.n++;
      if (expected.key !== undefined) stored.add(expected.key);
    }
    if (before && after) checkWrites(before, after, res.status === 201 ? INGESTED : {}, `${label} → ${res.status}`);
  }

  /** The expectation for a JSON text (or the bytes' UTF-8 reading) sent with a good token and a JSON content type. */
  const fromText =
    (text: string, options: { lenientValid?: boolean } = {}) =>
    (sentAt: number, answeredAt: number): Expectation => {
      if (Buffer.byteLength(text, 'utf8') > LIMIT) return { statuses: [413], code: 'payload_too_large' };
      const parsed = parseBody(text);
      if (!parsed.ok) return parsed.empty ? { statuses: [400] } : { statuses: [400], code: 'invalid_json' };
      const { verdict, fields, anyOf, key } = classifyBody(parsed.value, sentAt, answeredAt);
      if (verdict === 'invalid') return { statuses: [400], code: 'validation_failed', fields, anyOf };
      const replay = key !== undefined && stored.has(key) ? 200 : 201;
      const statuses = options.lenientValid ? [200, 201] : [replay];
      return { statuses: verdict === 'either' ? [...statuses, 200, 201, 400] : statuses, key };
    };

  /** A property over many cheap cases: the org's rows are counted around the whole run instead of each case. */
  async function batched(run: (accepted: { n: number }) => Promise<void>): Promise<void> {
    const before: OrgRows = await orgRows(org.id);
    const accepted = { n: 0 };
    await run(accepted);
    checkWrites(before, await orgRows(org.id), { dora_deployments: accepted.n, actions: { 'api.dora.deployments.ingested': accepted.n } });
  }

  it('valid bodies (unicode refs, years 0001-9999, offsets up to ±23:59, 0-9 fraction digits) are stored: 201, or 200 for a replayed external_ref', async () => {
    const property = 'valid bodies';
    await fc.assert(
      fc.asyncProperty(validBody, async (body) => {
        const text = jsonText(body);
        await ingestCase(property, { body: text }, fromText(text), { perCase: true });
      }),
      { ...runs(seed, 600), examples: [[{ repo_full_name: 'acme/web', environment: 'production', deployed_at: '2026-05-14T10:00:00+16:00' }]] },
    );
  });

  it('wrong types and missing fields: 400 naming every such field, nothing written', async () => {
    const property = 'wrong types';
    const wrongValue = (field: Field) =>
      hostileJson.filter((value) => (value === null ? !NULLABLE.has(field) : typeof value !== (field === 'success' || field === 'is_rework' ? 'boolean' : 'string')));
    const change = fc.constantFrom(...FIELDS).chain((field) => fc.tuple(fc.constant(field), fc.oneof({ weight: 5, arbitrary: wrongValue(field).map((value) => ({ value })) }, { weight: 1, arbitrary: fc.constant({ missing: true as const }) })));
    await batched((accepted) =>
      fc.assert(
        fc.asyncProperty(baseBody, fc.uniqueArray(change, { minLength: 1, maxLength: 3, selector: ([field]) => field }), async (valid, changes) => {
          const body: Record<string, unknown> = { ...valid };
          for (const [field, what] of changes) {
            if ('missing' in what) delete body[field];
            else body[field] = what.value;
          }
          const text = jsonText(body);
          const mustName = changes.filter(([field, what]) => !('missing' in what) || REQUIRED.includes(field)).map(([field]) => field);
          await ingestCase(
            property,
            { body: text },
            (sentAt, answeredAt) => {
              const expected = fromText(text)(sentAt, answeredAt);
              return expected.anyOf || mustName.length === 0 ? expected : { ...expected, statuses: [400], fields: mustName };
            },
            { perCase: false, accepted },
          );
        }),
        runs(seed, 700),
      ),
    );
  });

  it('broken JSON (truncated, trailing garbage, wrong nesting, stray characters): 400 invalid_json, or what the JSON that is left says', async () => {
    const property = 'broken JSON';
    await batched((accepted) =>
      fc.assert(
        fc.asyncProperty(baseBody, fc.array(mutation, { minLength: 1, maxLength: 3 }), async (body, mutations) => {
          const text = mutations.reduce(applyMutation, jsonText(body));
          await ingestCase(property, { body: text }, fromText(text), { perCase: false, accepted });
        }),
        runs(seed, 600),
      ),
    );
  });

  it('huge and odd numbers in every field (1e308, -0, 1e400, beyond 2^53, NaN): 400', async () => {
    const property = 'huge numbers';
    await batched((accepted) =>
      fc.assert(
        fc.asyncProperty(baseBody, fc.constantFrom<string>(...FIELDS, 'window', 'count'), fc.oneof(fc.constantFrom(...NUMBER_LITERALS), fc.double().map((n) => String(n)), fc.bigInt().map((n) => String(n))), async (body, field, literal) => {
          const text = withRawValue(body, field, literal);
          await ingestCase(property, { body: text }, fromText(text), { perCase: false, accepted });
        }),
        runs(seed, 300),
      ),
    );
  });

  it('deep nesting (up to the 256 KiB limit: over 40,000 levels) in any field or as the body: 400, or 413 over the limit', async () => {
    const property = 'deep nesting';
    const depth = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 64 }) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 33_000 }) }, { weight: 1, arbitrary: fc.constantFrom(10_000, 13_000, 32_767) });
    await batched((accepted) =>
      fc.assert(
        fc.asyncProperty(baseBody, depth, fc.constantFrom('array', 'object', 'mixed'), fc.constantFrom<string>('(body)', ...FIELDS, 'x'), async (body, levels, kind, where) => {
          const open = { array: '[', object: '{"a":', mixed: '[{"a":' }[kind as 'array' | 'object' | 'mixed'];
          const close = { array: ']', object: '}', mixed: '}]' }[kind as 'array' | 'object' | 'mixed'];
          const nested = `${open.repeat(levels)}1${close.repeat(levels)}`;
          const text = where === '(body)' ? nested : withRawValue(body, where, nested);
          await ingestCase(property, { body: text }, fromText(text), { perCase: false, accepted });
        }),
        { ...runs(seed, 100), examples: [[{ repo_full_name: 'acme/web', environment: 'production', deployed_at: '2026-05-14T10:00:00Z' }, 10_000, 'array', 'repo_full_name']] },
      ),
    );
  });

  it('__proto__, constructor and prototype keys are unknown fields: 400 naming them, nothing written, Object.prototype untouched', async () => {
    const property = 'prototype keys';
    const special = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf', '__lookupGetter__');
    const payload = fc.oneof(
      fc.constantFrom<unknown>({ success: 'x' }, { repo_full_name: 1 }, { polluted: true }, { prototype: { polluted: true } }, null, 'x', 1, [], {}),
      hostileJson,
    );
    await fc.assert(
      fc.asyncProperty(baseBody, special, payload, fc.boolean(), async (valid, key, value, first) => {
        const body = first ? withOwnKey({}, key, value) : { ...valid };
        if (first) Object.assign(body, valid);
        else withOwnKey(body, key, value);
        const text = jsonText(body);
        await ingestCase(property, { body: text }, () => ({ statuses: [400], code: 'validation_failed', fields: [key] }), { perCase: true });
      }),
      { ...runs(seed, 200), examples: [[{ repo_full_name: 'acme/web', environment: 'production', deployed_at: '2026-05-14T10:00:00Z' }, '__proto__', {}, false], [{ repo_full_name: 'acme/web', environment: 'production', deployed_at: '2026-05-14T10:00:00Z' }, 'toString', 1, false]] },
    );
  });

  it('invalid UTF-8 byte sequences inside and outside strings: never a 5xx; a string with them reads as U+FFFD', async () => {
    const property = 'invalid UTF-8';
    await batched((accepted) =>
      fc.assert(
        fc.asyncProperty(baseBody, fc.constantFrom<string>(...STRING_FIELDS, '(key)', '(outside)'), invalidUtf8, fc.nat(), async (valid, where, bytes, at) => {
          const marker = '§MARK§';
          let text: string;
          if (where === '(outside)') text = `{${marker}${jsonText(valid).slice(1)}`;
          else if (where === '(key)') text = jsonText({ ...valid, [`k${marker}`]: 1 });
          else {
            const original = Array.from(String(valid[where] ?? 'abcdef0')); // code points: never split a surrogate pair
            const split = at % (original.length + 1);
            text = jsonText({ ...valid, [where]: `${original.slice(0, split).join('')}${marker}${original.slice(split).join('')}` });
          }
          const [head, tail] = text.split(marker) as [string, string];
          const raw = Buffer.concat([Buffer.from(head, 'utf8'), bytes, Buffer.from(tail, 'utf8')]);
          await ingestCase(property, { body: raw }, fromText(raw.toString('utf8'), { lenientValid: true }), { perCase: false, accepted });
        }),
        runs(seed, 300),
      ),
    );
  });

  it('unicode in every string field (emoji, right-to-left, NUL, lone surrogates, BOM, U+2028): never a 5xx, the contract’s answer', async () => {
    const property = 'unicode strings';
    await batched((accepted) =>
      fc.assert(
        fc.asyncProperty(baseBody, fc.constantFrom<string>(...STRING_FIELDS, '(key)'), hostileString, async (valid, field, value) => {
          if (field === '(key)' && isPrototypeName(value)) return; // the "prototype keys" property's business
          const body = field === '(key)' ? { ...valid, [value]: 'x' } : { ...valid, [field]: value };
          const text = jsonText(body);
          await ingestCase(property, { body: text }, fromText(text), { perCase: false, accepted });
        }),
        { ...runs(seed, 400), examples: [[{ repo_full_name: 'acme/web', environment: 'production', deployed_at: '2026-05-14T10:00:00Z' }, 'external_ref', '\ud800']] },
      ),
    );
  });

  it('boundary dates (years 0000-10000, Feb 29, hour 24, leap second 23:59:60, offsets ±23:59 and beyond, now + 5 min ± 1 s): the contract’s answer', async () => {
    const property = 'boundary dates';
    const relative = fc.record({ deltaMs: fc.constantFrom(-1000, 1000, -60_000, 60_000, -5000, 5000), offsetMinutes: fc.constantFrom(0, 60, -60, 23 * 60 + 59, -(23 * 60 + 59), 15 * 60 + 59, 330), fractionDigits: fc.integer({ min: 0, max: 9 }) });
    const stamp = fc.oneof(
      { weight: 3, arbitrary: hostileTimestamp.map((text) => ({ text })) },
      { weight: 1, arbitrary: validTimestamp(YEAR_1_MS, YEAR_9999_MS).map(({ text }) => ({ text })) },
      { weight: 1, arbitrary: relative.map((r) => ({ relative: r })) },
    );
    await batched((accepted) =>
      fc.assert(
        fc.asyncProperty(baseBody, fc.constantFrom('deployed_at', 'committed_at', 'both'), stamp, async (valid, field, s) => {
          // "now + 5 min ± delta" is written as the request goes out, so that the boundary is tested, not the machine's speed.
          const stampText = 'text' in s ? s.text : formatTimestamp(Date.now() + MAX_FUTURE_MS + s.relative.deltaMs, s.relative.offsetMinutes, s.relative.fractionDigits)!.text;
          const body = { ...valid, ...(field !== 'committed_at' ? { deployed_at: stampText } : {}), ...(field !== 'deployed_at' ? { committed_at: stampText } : {}) };
          const json = jsonText(body);
          await ingestCase(property, { body: json }, fromText(json), { perCase: false, accepted });
        }),
        { ...runs(seed, 400), examples: [[{ repo_full_name: 'acme/web', environment: 'production', deployed_at: '2026-05-14T10:00:00Z' }, 'deployed_at', { text: '2026-05-14T10:00:00+16:00' }]] },
      ),
    );
  });

  it('bodies of exactly 256 KiB − 1, 256 KiB and 256 KiB + 1 bytes (and around): 413 only over the limit', async () => {
    const property = 'body sizes';
    const size = fc.oneof(fc.constantFrom(LIMIT - 1, LIMIT, LIMIT + 1), fc.integer({ min: LIMIT - 600, max: LIMIT + 600 }));
    await fc.assert(
      fc.asyncProperty(baseBody, size, fc.constantFrom('whitespace', 'unknown field', 'multibyte field'), async (valid, bytes, padding) => {
        const base = jsonText(valid);
        let text: string;
        if (padding === 'whitespace') text = `{${' '.repeat(Math.max(0, bytes - Buffer.byteLength(base)))}${base.slice(1)}`;
        else {
          const unit = padding === 'unknown field' ? 'x' : 'é';
          const shell = jsonText({ ...valid, padding: '' });
          const room = Math.max(0, bytes - Buffer.byteLength(shell));
          text = jsonText({ ...valid, padding: unit.repeat(Math.floor(room / Buffer.byteLength(unit))) }) + ' '.repeat(room % Buffer.byteLength(unit));
        }
        await ingestCase(property, { body: text }, fromText(text), { perCase: true });
      }),
      runs(seed, 30),
    );
  });

  it('wrong content types: 415 for anything not JSON, the body’s answer for JSON', async () => {
    const property = 'content types';
    const contentType = fc.oneof({ weight: 4, arbitrary: fc.constantFrom<string | undefined>(...CONTENT_TYPES, undefined, 'application/json') }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }) });
    await batched((accepted) =>
      fc.assert(
        fc.asyncProperty(baseBody, contentType, async (body, type) => {
          const text = jsonText(body);
          const arrived = type?.replace(/^[ \t]+|[ \t]+$/g, ''); // HTTP drops surrounding whitespace
          const json = arrived !== undefined && /^application\/json\s*(;|$)/i.test(arrived);
          const plain = arrived !== undefined && /^application\/json\s*(;\s*charset=utf-8)?$/i.test(arrived);
          await ingestCase(
            property,
            { body: text, contentType: type },
            (s, a) => (!json ? { statuses: [415], code: 'unsupported_media_type' } : plain ? fromText(text)(s, a) : { statuses: [200, 201, 400, 415] }),
            { perCase: false, accepted },
          );
        }),
        runs(seed, 170),
      ),
    );
  });

  it('hostile Authorization headers: 401 with WWW-Authenticate (403 for a token without the scope), nothing written', async () => {
    const property = 'authorization';
    const base62 = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'), maxLength: 60 });
    const header = fc.oneof(
      fc.constantFrom<string | undefined>(undefined, '', 'Bearer', 'Bearer ', 'Basic YTpi', 'Token x', 'Bearer null', 'Bearer ffp_', `Bearer ${'ffp_'.padEnd(4000, 'A')}`),
      base62.map((s) => `Bearer ffp_${s}`),
      fc.string({ unit: 'grapheme-ascii', maxLength: 80 }).map((s) => `Bearer ${s}`),
      fc.string({ unit: 'grapheme-ascii', maxLength: 80 }),
      fc.constantFrom('write', 'read', 'revoked').chain((which) =>
        fc.constantFrom('Bearer %', 'bearer %', 'BEARER %', 'Bearer   %', 'Bearer % ', 'Bearer\t%', 'Bearer %x', 'Bearer %%', 'Bearer "%"', '%', 'Bearer ,%', 'Bearer %,other').map((template) => ({ which, template })),
      ),
    );
    const secretOf = (which: string) => ({ write, read, revoked })[which]!;
    await batched((accepted) =>
      fc.assert(
        fc.asyncProperty(header, async (h) => {
          const authorization = typeof h === 'object' && h !== null ? h.template.replaceAll('%', secretOf(h.which)) : h;
          const body = jsonText({ repo_full_name: 'fuzz/auth', environment: 'production', deployed_at: new Date(NOW).toISOString() });
          // As it arrives: HTTP drops the value's surrounding whitespace.
          const token = /^Bearer +(\S+) *$/i.exec((authorization ?? '').replace(/^[ \t]+|[ \t]+$/g, ''))?.[1];
          const statuses = token === write ? [201] : token === read ? [403] : [401];
          await ingestCase(property, { body, authorization }, () => ({ statuses }), { perCase: false, accepted });
        }),
        runs(seed, 200),
      ),
    );
  });

  it('is still healthy afterwards: /healthz and /readyz 200, and a valid ingest 201', async () => {
    await checkHealthy(t, write);
  });
});
