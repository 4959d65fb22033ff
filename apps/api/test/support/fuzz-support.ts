import { jest } from '@jest/globals';
import type { ApiErrorCode, OAuthErrorCode } from '@dora/domain';
import fc from 'fast-check';
import type { Server } from 'node:http';
import pg from 'pg';
import type { Response, Test } from 'supertest';
import type { TestApp } from './test-app.js';
import { ownerUrl } from './test-database.js';

/*
 * Shared pieces of the hostile-input fuzz suites (apps/api/test/fuzz-*.spec.ts): the seed, the case
 * counter and slowest-request recorder, the checks every answer must pass, the write accounting, and
 * arbitraries of hostile values.
 *
 * Replay: every fc.assert of a file runs with that file's seed, printed once per file (and in its
 * describe name). FUZZ_SEED=<n> replays a run, FUZZ_SEED=random draws a new seed (printed),
 * FUZZ_SCALE=<x> multiplies every numRuns (e.g. 10 for a long local run). A failing property also
 * prints fast-check's own seed, path and shrunk counterexample.
 */

const DEFAULT_SEED = 20261129;

/** The file's seed: FUZZ_SEED, a random one for FUZZ_SEED=random, else the fixed default. */
export function fuzzSeed(): number {
  const raw = process.env.FUZZ_SEED?.trim();
  if (raw === 'random') return Math.floor(Math.random() * 0x7fffffff);
  const seed = Number(raw || DEFAULT_SEED);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer or "random", not ${JSON.stringify(raw)}`);
  return seed;
}

/**
 * A fuzz file's start: its seed, printed for a replay, and a deadline for a stuck property — each sends
 * hundreds of real requests, which on a busy 2-core machine may take minutes (times FUZZ_SCALE).
 */
export function fuzzFile(name: string): number {
  jest.setTimeout(600_000 * Math.max(1, SCALE));
  const seed = fuzzSeed();
  console.log(`${name}: FUZZ_SEED=${seed} (replay with FUZZ_SEED=${seed})`);
  return seed;
}

const SCALE = Number(process.env.FUZZ_SCALE ?? 1);

/** fc.assert parameters: the file's seed and the number of runs (times FUZZ_SCALE). */
export function runs(seed: number, numRuns: number): { seed: number; numRuns: number } {
  return { seed, numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(SCALE) && SCALE > 0 ? SCALE : 1))) };
}

/** Per property: how many requests it sent and the slowest one (reported, never asserted: timing bounds belong to the chaos harness). */
export class FuzzStats {
  private readonly properties = new Map<string, { requests: number; totalMs: number; slowestMs: number; slowest: string }>();

  constructor(
    readonly file: string,
    readonly seed: number,
  ) {}

  /** Sends one request, timing it; `label` says what it was, for the report. */
  async request(property: string, label: string, send: () => Test | Promise<Response>): Promise<Response> {
    const row = this.properties.get(property) ?? { requests: 0, totalMs: 0, slowestMs: -1, slowest: '' };
    this.properties.set(property, row);
    row.requests++;
    const started = performance.now();
    let response: Response;
    try {
      response = await send();
    } catch (error) {
      throw new Error(`the request failed without an HTTP answer (${label}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const ms = performance.now() - started;
    row.totalMs += ms;
    if (ms > row.slowestMs) Object.assign(row, { slowestMs: ms, slowest: `${label} → ${response.status}` });
    return response;
  }

  get total(): number {
    return [...this.properties.values()].reduce((sum, row) => sum + row.requests, 0);
  }

  report(): string {
    const lines = [...this.properties].map(
      ([property, row]) =>
        `  ${String(row.requests).padStart(5)} requests  mean ${(row.totalMs / row.requests).toFixed(1).padStart(5)} ms  slowest ${row.slowestMs.toFixed(0).padStart(5)} ms  ${property}: ${truncate(row.slowest, 160)}`,
    );
    return [`${this.file}: FUZZ_SEED=${this.seed}, ${this.total} requests`, ...lines].join('\n');
  }
}

export function truncate(text: string, max = 300): string {
  const shown = JSON.stringify(text).slice(1, -1);
  return shown.length > max ? `${shown.slice(0, max)}… (${text.length} chars)` : shown;
}

// ---------------------------------------------------------------------------------------------
// Checks of every answer
// ---------------------------------------------------------------------------------------------

/** The contract's error codes and the one status each has (DESIGN §2); a Record, so a new code fails to compile here. */
export const API_ERROR_STATUS: Record<ApiErrorCode, number> = {
  validation_failed: 400,
  invalid_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthenticated: 401,
  invalid_signature: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  database_unavailable: 503,
  overloaded: 503,
  not_configured: 503,
  internal: 500,
};
export const API_ERROR_CODES = Object.keys(API_ERROR_STATUS) as ApiErrorCode[];

const OAUTH_ERROR_STATUS: Record<OAuthErrorCode, number[]> = {
  invalid_request: [400, 413], // 413: a body over the endpoint's limit
  invalid_grant: [400],
  invalid_scope: [400],
  invalid_target: [400],
  unsupported_grant_type: [400],
  temporarily_unavailable: [429, 503],
  server_error: [500],
};
export const OAUTH_ERROR_CODES = Object.keys(OAUTH_ERROR_STATUS) as OAuthErrorCode[];

export function describeAnswer(res: Response): string {
  return `${res.status} ${truncate(res.text ?? '', 400)}`;
}

export class PropertyFailure extends Error {}

function fail(what: string, res: Response): never {
  throw new PropertyFailure(`${what}; the answer was ${describeAnswer(res)}`);
}

/**
 * Property 1 and 2 for the service's routes: no 5xx but the documented 503s, every 4xx/5xx in the one
 * error shape with a contract code whose status is the one answered; optionally one of `statuses`.
 */
export function checkApiAnswer(res: Response, options: { statuses?: number[]; documented503?: ApiErrorCode[] } = {}): void {
  if (res.status >= 500) {
    const code = (res.body as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (!(res.status === 503 && typeof code === 'string' && (options.documented503 ?? []).includes(code as ApiErrorCode))) fail('a 5xx', res);
  }
  if (res.status >= 400) checkErrorShape(res);
  if (options.statuses && !options.statuses.includes(res.status)) fail(`not one of ${options.statuses.join(', ')}`, res);
}

export function checkErrorShape(res: Response): void {
  if (!/^application\/json\b/i.test(String(res.headers['content-type'] ?? ''))) fail('an error answer that is not JSON', res);
  const body: unknown = res.body;
  if (!isPlainObject(body) || Object.keys(body).join() !== 'error') fail('an error body that is not exactly { error }', res);
  const error = (body as { error: unknown }).error;
  if (!isPlainObject(error)) fail('error is not an object', res);
  const { code, message, details, ...rest } = error as Record<string, unknown>;
  if (Object.keys(rest).length > 0) fail(`error has other keys (${Object.keys(rest).join(', ')})`, res);
  if (typeof code !== 'string' || !(API_ERROR_CODES as string[]).includes(code)) fail('error.code is not an ApiErrorCode', res);
  if (API_ERROR_STATUS[code as ApiErrorCode] !== res.status) fail(`error.code ${String(code)} belongs to status ${API_ERROR_STATUS[code as ApiErrorCode]}`, res);
  if (typeof message !== 'string' || message === '') fail('error.message is not a non-empty string', res);
  if (details !== undefined) {
    const ok =
      Array.isArray(details) &&
      details.length > 0 &&
      details.every((d) => isPlainObject(d) && Object.keys(d).sort().join() === 'field,message' && typeof d.field === 'string' && typeof d.message === 'string');
    if (!ok) fail('error.details is not a non-empty list of { field, message }', res);
  }
  if (code === 'unauthenticated' && !/^Bearer\b/.test(String(res.headers['www-authenticate'] ?? ''))) fail('a 401 unauthenticated without WWW-Authenticate: Bearer', res);
  if ((code === 'rate_limited' || code === 'overloaded') && !/^\d+$/.test(String(res.headers['retry-after'] ?? ''))) fail(`${code} without Retry-After`, res);
}

/** The token endpoint: errors are OAuth's `{ error, error_description }` (RFC 6749 §5.2), never the service's body; no 5xx but the documented 503. */
export function checkOAuthAnswer(res: Response, options: { statuses?: number[] } = {}): void {
  if (res.status >= 500 && res.status !== 503) fail('a 5xx', res);
  if (res.status >= 400) {
    if (!/^application\/json\b/i.test(String(res.headers['content-type'] ?? ''))) fail('an error answer that is not JSON', res);
    const body: unknown = res.body;
    if (!isPlainObject(body) || Object.keys(body).sort().join() !== 'error,error_description') fail('an error body that is not exactly OAuth’s { error, error_description }', res);
    const { error, error_description: description } = body as Record<string, unknown>;
    if (typeof error !== 'string' || !(OAUTH_ERROR_CODES as string[]).includes(error)) fail('error is not an OAuth error code', res);
    if (!OAUTH_ERROR_STATUS[error as OAuthErrorCode].includes(res.status)) fail(`OAuth error ${String(error)} with status ${res.status}`, res);
    if (typeof description !== 'string' || description === '') fail('error_description is not a non-empty string', res);
    if (res.headers['cache-control'] !== 'no-store') fail('an OAuth error without Cache-Control: no-store', res);
  }
  if (options.statuses && !options.statuses.includes(res.status)) fail(`not one of ${options.statuses.join(', ')}`, res);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text PostgreSQL can store (no NUL, no unpaired surrogate): the service refuses any other with a 400. */
export function isStorable(text: string): boolean {
  return !/\p{Cs}/u.test(text) && !text.includes('\u0000'); // with the u flag only an unpaired surrogate matches \p{Cs}
}

/** Names an object has without owning them (`toString`, `__proto__`, …) and `prototype`: the keys a careless own-key check misses. */
export function isPrototypeName(key: string): boolean {
  return key in Object.prototype || key === 'prototype';
}

/** Nothing a request did may reach Object.prototype of this process (the server runs in it). */
export function checkNoPrototypePollution(): void {
  const probe: Record<string, unknown> = {};
  const polluted = ['success', 'is_rework', 'x', 'polluted', 'repo_full_name', 'isAdmin', 'scopes'].filter((key) => probe[key] !== undefined);
  const extra = Object.getOwnPropertyNames(Object.prototype).filter((key) => !OBJECT_PROTOTYPE_KEYS.has(key));
  if (polluted.length > 0 || extra.length > 0) throw new PropertyFailure(`Object.prototype was polluted: ${[...polluted, ...extra].join(', ')}`);
}
const OBJECT_PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

// ---------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------

/** What an org has, counted as the owner (row-level security bypassed): the tables a request could write, its settings, its audit actions. */
export interface OrgRows {
  dora_deployments: number;
  api_tokens: number;
  identity_providers: number;
  forgejo_owners: number;
  audit_events: number;
  settings: string;
  actions: Record<string, number>;
}

/**
 * The schema owner's own connection for the counting: one statement per count, no transaction around
 * it (t.ownerQuery's BEGIN/COMMIT would triple the round trips of thousands of counts). One statement of
 * the simple query protocol (no parameters: the tenant id is a checked UUID, inlined) is one message,
 * so on the embedded database's shared session nothing can slip between its parts.
 */
let ownerPool: pg.Pool | undefined;

export async function closeOwnerPool(): Promise<void> {
  await ownerPool?.end();
  ownerPool = undefined;
}

export async function ownerStatement<Row extends object>(sql: string): Promise<Row[]> {
  ownerPool ??= new pg.Pool({ connectionString: ownerUrl(), max: 1, options: '-c TimeZone=UTC' }).on('error', () => undefined);
  return (await ownerPool.query<Row>(sql)).rows;
}

/** A value for inlining in SQL: only UUIDs and hex, which need no quoting beyond the quotes. */
export function sqlLiteral(value: string): string {
  if (!/^[0-9a-f-]+$/i.test(value)) throw new Error(`not inlined into SQL: ${value}`);
  return `'${value}'`;
}

/** Any text without NUL as a dollar-quoted SQL literal (no escapes inside; a tag the text does not contain). */
export function sqlText(value: string): string {
  if (value.includes('\u0000')) throw new Error('NUL is not text in SQL');
  let tag = 'q';
  while (value.includes(`$${tag}$`)) tag += 'q';
  return `$${tag}$${value}$${tag}$`;
}

export async function orgRows(tenantId: string): Promise<OrgRows> {
  const id = sqlLiteral(tenantId);
  const [row] = await ownerStatement<OrgRows>(/* sql */ `
    SELECT (SELECT count(*) FROM dora_deployments WHERE tenant_id = ${id})::int AS dora_deployments,
           (SELECT count(*) FROM api_tokens WHERE tenant_id = ${id})::int AS api_tokens,
           (SELECT count(*) FROM identity_providers WHERE tenant_id = ${id})::int AS identity_providers,
           (SELECT count(*) FROM forgejo_owners WHERE tenant_id = ${id})::int AS forgejo_owners,
           (SELECT count(*) FROM audit_events WHERE tenant_id = ${id})::int AS audit_events,
           (SELECT concat_ws('|', window_days, timezone, coalesce(max_token_lifetime_days::text, 'null')) FROM tenants WHERE id = ${id}) AS settings,
           (SELECT coalesce(jsonb_object_agg(action, n), '{}'::jsonb)
              FROM (SELECT action, count(*)::int AS n FROM audit_events WHERE tenant_id = ${id} GROUP BY action) AS a) AS actions`);
  return row!;
}

export type Writes = Partial<Record<'dora_deployments' | 'api_tokens' | 'identity_providers' | 'forgejo_owners', number>> & {
  /** Audit events by action; the audit_events total must be their sum. */
  actions?: Record<string, number>;
  /** The settings after, when they may have changed. */
  settings?: string;
};

/** Property 3: between `before` and `after` exactly `expected` was written (nothing, by default), else throws naming the difference. */
export function checkWrites(before: OrgRows, after: OrgRows, expected: Writes = {}, context = ''): void {
  const problems: string[] = [];
  for (const table of ['dora_deployments', 'api_tokens', 'identity_providers', 'forgejo_owners'] as const) {
    const delta = after[table] - before[table];
    if (delta !== (expected[table] ?? 0)) problems.push(`${table} ${delta >= 0 ? '+' : ''}${delta}, expected +${expected[table] ?? 0}`);
  }
  const expectedActions = expected.actions ?? {};
  const actions = new Set([...Object.keys(before.actions), ...Object.keys(after.actions), ...Object.keys(expectedActions)]);
  for (const action of actions) {
    const delta = (after.actions[action] ?? 0) - (before.actions[action] ?? 0);
    if (delta !== (expectedActions[action] ?? 0)) problems.push(`audit ${action} ${delta >= 0 ? '+' : ''}${delta}, expected +${expectedActions[action] ?? 0}`);
  }
  const eventDelta = after.audit_events - before.audit_events;
  const expectedEvents = Object.values(expectedActions).reduce((sum, n) => sum + n, 0);
  if (eventDelta !== expectedEvents) problems.push(`audit_events +${eventDelta}, expected +${expectedEvents}`);
  if (after.settings !== (expected.settings ?? before.settings)) problems.push(`settings ${before.settings} → ${after.settings}, expected ${expected.settings ?? before.settings}`);
  if (problems.length > 0) throw new PropertyFailure(`unexpected writes${context ? ` (${context})` : ''}: ${problems.join('; ')}`);
}

/** Property 4: still healthy, and still ingesting. */
export async function checkHealthy(t: TestApp, writeToken: string): Promise<void> {
  const problems: string[] = [];
  const healthz = await t.http().get('/healthz');
  if (healthz.status !== 200) problems.push(`/healthz ${describeAnswer(healthz)}`);
  const readyz = await t.http().get('/readyz');
  if (readyz.status !== 200) problems.push(`/readyz ${describeAnswer(readyz)}`);
  const ingest = await t
    .http()
    .post('/api/v1/dora/deployments')
    .set('Authorization', `Bearer ${writeToken}`)
    .send({ repo_full_name: 'fuzz/after', environment: 'production', deployed_at: new Date().toISOString() });
  if (ingest.status !== 201) problems.push(`a valid ingest ${describeAnswer(ingest)}`);
  if (problems.length > 0) throw new PropertyFailure(`not healthy after the fuzzing: ${problems.join('; ')}`);
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/** Makes supertest reuse one listening server instead of listening on a new port per request. */
export async function listen(t: TestApp): Promise<void> {
  const server = t.app.getHttpServer() as Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
}

/** Sends `body` as these exact bytes (supertest would serialise a Buffer sent as JSON), with this Content-Type or none. */
export function sendRaw(test: Test, body: Buffer | string, contentType: string | undefined): Test {
  if (contentType !== undefined) test.set('Content-Type', contentType);
  return test.serialize((data: unknown) => data as string).send(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
}

/**
 * JSON text of a value, keeping own `__proto__` keys (JSON.stringify does) and escaping lone surrogates
 * (JSON.stringify does, as \udXXX) — the text a hostile client would send.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** A value parsed from JSON text: own `__proto__` keys included, as a server sees them. */
export function withOwnKey<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

/**
 * Percent-encodes any JS string as UTF-8 bytes, lone surrogates as their 3-byte (WTF-8) form — which
 * is not valid UTF-8, so the server sees what a hostile client can send (encodeURIComponent would throw).
 */
export function percentEncode(text: string): string {
  return text.replace(/\p{Cs}|\P{Cs}+/gu, (part) => {
    if (!/^\p{Cs}$/u.test(part)) return encodeURIComponent(part);
    const unit = part.charCodeAt(0);
    return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
  });
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));

/** Strings people rarely test with. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\udc00y',
  '\ud83d\ude00',
  '👩‍👩‍👧‍👦',
  'مرحبا بالعالم',
  '\u202eevil\u202c',
  'שלום/עולם',
  '\ufeff',
  '\u2028\u2029',
  'Z̸̧̛a̴̢͝l̵̨̛g̶̢̛o̵̢̧',
  '\t\r\n',
  '\u001b[31m',
  '\u0085',
  '\uffff',
  '\u{10ffff}',
  '../../../../etc/passwd',
  '..',
  '%00',
  '%ZZ',
  '%',
  "'; DROP TABLE dora_deployments; --",
  '" OR 1=1 --',
  '$1',
  '\\',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e308',
  'true',
  '[]',
  '{}',
];

/** Any string, leaning hostile: control characters, lone surrogates, emoji, right-to-left text, long. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.oneof(fc.constantFrom('a', '/', '\u0000', '\u202e', 'é'), loneSurrogate), maxLength: 10 }) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('a', 'é', '\u{1f600}', '/', '0'), fc.integer({ min: 100, max: 3000 })).map(([unit, n]) => unit.repeat(n)),
  },
);

/** Numbers that break parsers and columns. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 7, 30, 90, 0.5, 1e308, -1e308, 5e-324, 2 ** 31, 2 ** 31 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 3650, 3651, 720, 721, 60, 3600),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Number literals as JSON text, some of them not JSON at all. */
export const NUMBER_LITERALS = [
  '1e308',
  '-1e308',
  '1e400',
  '-1e400',
  '-0',
  '0.0',
  '5e-324',
  '1e-400',
  '9007199254740993',
  '-9007199254740993',
  '123456789012345678901234567890123456789',
  '7.000000000000001',
  '7e0',
  '0.7e1',
  '30.0',
  'NaN',
  '"NaN"',
  'Infinity',
  '-Infinity',
  '"Infinity"',
  '+1',
  '.5',
  '01',
  '0x1F',
  '1_000',
  '1e',
  '--1',
];

/** Any JSON value, leaning hostile (special keys included). */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    hostileNumber,
    hostileString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .array(fc.tuple(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype')), tie('value')), { maxLength: 4 })
      .map((entries) => entries.reduce((object, [key, value]) => withOwnKey(object, key, value), {} as Record<string, unknown>)),
  ),
})).value;

/** Bytes that are not valid UTF-8: stray continuation bytes, overlong forms, encoded surrogates, truncated sequences, 0xFE/0xFF. */
export const invalidUtf8: fc.Arbitrary<Buffer> = fc
  .array(
    fc.oneof(
      fc.constantFrom([0xff], [0xfe], [0x80], [0xbf], [0xc0, 0xaf], [0xc1, 0xbf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3, 0x28], [0x00]),
      fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 4 }),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => Buffer.from(parts.flat()));

/** An RFC 3339-ish timestamp, leaning on every boundary: years 0000/0001/9999/10000, month and day edges, hour 24, leap seconds, long fractions, offsets up to ±23:59 and beyond. */
export const hostileTimestamp: fc.Arbitrary<string> = fc
  .record({
    year: fc.oneof(fc.constantFrom('0000', '0001', '0099', '0100', '1582', '1900', '1969', '1970', '2000', '2024', '2026', '2038', '9999', '10000', '-0001', '99'), fc.integer({ min: 1, max: 9999 }).map((y) => String(y).padStart(4, '0'))),
    month: fc.oneof(fc.constantFrom('00', '01', '02', '12', '13', '1'), fc.integer({ min: 1, max: 12 }).map(pad2)),
    day: fc.oneof(fc.constantFrom('00', '01', '28', '29', '30', '31', '32'), fc.integer({ min: 1, max: 28 }).map(pad2)),
    separator: fc.constantFrom('T', 'T', 'T', 't', ' ', '_'),
    hour: fc.oneof(fc.constantFrom('00', '23', '24', '25'), fc.integer({ min: 0, max: 23 }).map(pad2)),
    minute: fc.oneof(fc.constantFrom('00', '59', '60'), fc.integer({ min: 0, max: 59 }).map(pad2)),
    second: fc.oneof(fc.constantFrom('00', '59', '60', '61'), fc.integer({ min: 0, max: 59 }).map(pad2)),
    fraction: fc.oneof(fc.constant(''), fc.stringMatching(/^\.[0-9]{1,12}$/), fc.constantFrom('.', '.x', ',5')),
    zone: fc.oneof(
      fc.constantFrom('Z', 'Z', 'z', '', '+00:00', '-00:00', '+23:59', '-23:59', '+24:00', '-24:00', '+15:59', '+16:00', '-16:00', '+14:00', '+0530', '+05', 'UTC', '+05:30:00'),
      fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([sign, h, m]) => `${sign}${pad2(h)}:${pad2(m)}`),
    ),
  })
  .map((p) => `${p.year}-${p.month}-${p.day}${p.separator}${p.hour}:${p.minute}:${p.second}${p.fraction}${p.zone}`);

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The earliest instant whose local time is in year 0001 at every offset up to ±23:59. */
export const YEAR_1_MS = new Date(0).setUTCFullYear(1, 0, 2);
/** The last instant whose local time is in year 9999 at every offset up to ±23:59. */
export const YEAR_9999_MS = new Date(0).setUTCFullYear(9999, 11, 30);

export interface Timestamp {
  text: string;
  /** The instant it names, to the millisecond (digits past the third are zeros). */
  instant: number;
}

/** An RFC 3339 timestamp the contract accepts (a real instant; any offset up to ±23:59, or `maxOffsetMinutes`; 0-9 fraction digits), between two instants. */
export function validTimestamp(minMs: number, maxMs: number, maxOffsetMinutes = 23 * 60 + 59): fc.Arbitrary<Timestamp> {
  const edges = [23 * 60 + 59, 16 * 60, 15 * 60 + 59, 14 * 60, 330, 1].flatMap((m) => [m, -m]).filter((m) => Math.abs(m) <= maxOffsetMinutes);
  return fc
    .record({
      instant: fc.oneof(fc.integer({ min: minMs, max: maxMs }), fc.constantFrom(minMs, maxMs)),
      offsetMinutes: fc.oneof(fc.constant(0), fc.integer({ min: -maxOffsetMinutes, max: maxOffsetMinutes }), fc.constantFrom(...edges)),
      fractionDigits: fc.integer({ min: 0, max: 9 }),
      zulu: fc.constantFrom('Z', 'z'),
      t: fc.constantFrom('T', 't'),
    })
    .map(({ instant, offsetMinutes, fractionDigits, zulu, t }) => formatTimestamp(instant, offsetMinutes, fractionDigits, zulu, t))
    .filter((timestamp): timestamp is Timestamp => timestamp !== undefined);
}

/** `instant` written at `offsetMinutes` (0 as Z); undefined when the local time falls outside years 0001-9999. */
export function formatTimestamp(instant: number, offsetMinutes: number, fractionDigits = 3, zulu = 'Z', t = 'T'): Timestamp | undefined {
  const local = new Date(instant + offsetMinutes * 60_000);
  const year = local.getUTCFullYear();
  if (year < 1 || year > 9999) return undefined;
  const ms = local.getUTCMilliseconds();
  const kept = fractionDigits >= 3 ? ms : ms - (ms % 10 ** (3 - fractionDigits));
  const fraction = fractionDigits === 0 ? '' : `.${`${String(ms).padStart(3, '0')}000000`.slice(0, fractionDigits)}`;
  const zone =
    offsetMinutes === 0 ? zulu : `${offsetMinutes < 0 ? '-' : '+'}${pad2(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad2(Math.abs(offsetMinutes) % 60)}`;
  const text = `${String(year).padStart(4, '0')}-${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())}${t}${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}:${pad2(local.getUTCSeconds())}${fraction}${zone}`;
  return { text, instant: instant - (ms - kept) };
}

/**
 * An independent reading of the contract's timestamps (RFC 3339 with a zone; README "Reporting
 * deployments"): 'valid', 'invalid', or 'either' where the contract leaves the answer open (leap
 * second 60, year 0000, more than 9 fraction digits). Also the instant, when valid.
 */
export function classifyTimestamp(value: unknown): { verdict: 'valid' | 'invalid' | 'either'; instant?: number } {
  if (typeof value !== 'string') return { verdict: 'invalid' };
  const match = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/.exec(value);
  if (!match) return { verdict: 'invalid' };
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = match[7] ?? '';
  const [offsetHours, offsetMinutes] = [Number(match[10] ?? 0), Number(match[11] ?? 0)];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (days === undefined || day < 1 || day > days || hour > 23 || minute > 59 || second > 60 || offsetHours > 23 || offsetMinutes > 59) return { verdict: 'invalid' };
  if (second === 60 || year === 0 || fraction.length - 1 > 9) return { verdict: 'either' };
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, Number(`${fraction.slice(1)}000`.slice(0, 3)));
  const sign = match[9] === '-' ? -1 : 1;
  return { verdict: 'valid', instant: local.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000 };
}

/** Content types that are not JSON, and ones that nearly are. */
export const CONTENT_TYPES = [
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'application/jsonx',
  'application/json-patch+json',
  'application/vnd.api+json',
  'application/ld+json',
  'json',
  'application/',
  '*/*',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset=utf-16le',
  'application/json; charset=bogus',
  'application/json; charset=',
  'application/json;;;',
  'application/json; boundary=x',
  'application/json ; charset=utf-8',
  'Application/JSON',
  'APPLICATION/JSON; CHARSET=UTF-8',
  'application/json;charset=utf-8',
];

export function base64url(value: string | Buffer): string {
  return (typeof value === 'string' ? Buffer.from(value, 'utf8') : value).toString('base64url');
}
