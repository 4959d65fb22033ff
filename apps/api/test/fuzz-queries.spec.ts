import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { REPO_SORT_KEYS } from '@dora/domain';
import fc from 'fast-check';
import querystring from 'node:querystring';
import type { Response } from 'supertest';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import {
  PropertyFailure,
  base64url,
  checkApiAnswer,
  closeOwnerPool,
  checkHealthy,
  checkNoPrototypePollution,
  checkWrites,
  describeAnswer,
  FuzzStats,
  fuzzFile,
  hostileJson,
  hostileNumber,
  hostileString,
  hostileTimestamp,
  isPlainObject,
  jsonText,
  listen,
  orgRows,
  percentEncode,
  runs,
  truncate,
  validTimestamp,
  YEAR_1_MS,
  YEAR_9999_MS,
} from './support/fuzz-support.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

/*
 * Hostile query strings and path parameters for every read endpoint under /api/v1/orgs/{slug}/...,
 * with a dora:read + dora:admin token, through the real HTTP app. Every case: no 5xx, the one error
 * shape, 200 or 400 (404 for paths that name nothing), a page shape for 200s — and reads never
 * write (the org's rows are counted around every property). FUZZ_SEED replays a run.
 */

const seed = fuzzFile('fuzz-queries');

/** The read endpoints with query parameters, and the parameters each reads. */
const QUERIES = {
  'dora/summary': ['environment', 'repo', 'as_of', 'window'],
  'dora/series': ['environment', 'repo', 'as_of', 'days'],
  'dora/repos': ['window', 'environment', 'as_of', 'sort', 'limit', 'cursor'],
  'dora/deployments': ['repo', 'environment', 'success', 'is_rework', 'from', 'to', 'limit', 'cursor'],
  audit: ['action', 'from', 'to', 'limit', 'cursor'],
  'webhooks/deliveries': ['status', 'limit', 'cursor'],
} as const;
type QueryEndpoint = keyof typeof QUERIES;
/** Read endpoints without query parameters: whatever query they get, they answer as without. */
const PLAIN = ['dora/environments', 'dora/settings', 'tokens', 'identity-providers', 'forgejo-owners'] as const;
const PAGED = new Set(['dora/repos', 'dora/deployments', 'audit', 'webhooks/deliveries']);
const NOW = Date.now();
const SORTS = REPO_SORT_KEYS.flatMap((key) => [key, `-${key}`]);
/** Real cursors and ids, known once the org has data: the arbitraries name them, the cases resolve them. */
type Real = 'cursor:dora/repos' | 'cursor:dora/deployments' | 'cursor:audit' | 'deployment-id' | 'slug';

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

/** A value that is either literal text or a real value of the org (resolved when the case runs). */
type Value = string | { real: Real; flip?: number; suffix?: string };

const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('7', '30', '90', '1', '0', '-1', '200', '201', '91', '50', '7.0', '7.5', ' 7', '7 ', '0x1e', '1e1', '3e1', 'NaN', 'Infinity', '-Infinity', '', '9007199254740993', '1e308', '1e400', '-0', '+30', '٣٠', '３０', '30abc', '0030', '1_0'),
  fc.integer().map(String),
  hostileNumber.map(String),
);
const timestampText: fc.Arbitrary<string> = fc.oneof(hostileTimestamp, validTimestamp(YEAR_1_MS, YEAR_9999_MS).map((t) => t.text), fc.constantFrom('now', 'today', '2026-11-26', '2026-11-26T10:00:00', '1764151200', '2026-11-26T10:00:00.000000000000000Z'));
const cursorValue: fc.Arbitrary<Value> = fc.oneof(
  { weight: 1, arbitrary: fc.base64String({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), maxLength: 80 }) },
  { weight: 1, arbitrary: hostileJson.map((value) => base64url(jsonText(value))) },
  // The shapes the lists decode ([null-last, sort value, repo] and [timestamp, id]) with hostile contents: valid base64 of the wrong JSON.
  { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.boolean(), hostileJson), fc.oneof(hostileNumber, hostileJson), fc.oneof(hostileString, fc.constantFrom('acme/web', 'fuzz/a'))).map((key) => base64url(jsonText(key))) },
  { weight: 2, arbitrary: fc.tuple(fc.boolean(), hostileNumber, hostileString).map((key) => base64url(jsonText(key))) },
  { weight: 1, arbitrary: fc.tuple(fc.oneof(timestampText, hostileString), fc.oneof(fc.uuid(), hostileString)).map((key) => base64url(jsonText(key))) },
  { weight: 2, arbitrary: fc.tuple(timestampText, fc.uuid()).map((key) => base64url(jsonText(key))) },
  { weight: 2, arbitrary: fc.constantFrom<Real>('cursor:dora/repos', 'cursor:dora/deployments', 'cursor:audit').chain((real) => fc.record({ real: fc.constant(real), flip: fc.option(fc.nat(), { nil: undefined }) })) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(1000), 'x'.repeat(1001), '=', '==', '%', 'W10', 'e30', 'bnVsbA', 'WyJhIl0', Buffer.from([0xff, 0xfe, 0x00]).toString('base64url')) },
);

/** What a parameter gets: mostly values near its own domain, sometimes anything. */
function valueFor(key: string): fc.Arbitrary<Value> {
  const near: Record<string, fc.Arbitrary<Value>> = {
    window: numberText,
    days: numberText,
    limit: numberText,
    environment: fc.oneof(fc.constantFrom('production', 'staging', 'Production', 'x'.repeat(64), 'x'.repeat(65), 'eu/prod', '../prod'), hostileString),
    repo: fc.oneof(fc.constantFrom('fuzz/web', 'fuzz/api', 'Fuzz/Web', 'fuzz', 'a/b/c', `a/${'b'.repeat(300)}`), hostileString),
    as_of: timestampText,
    from: timestampText,
    to: timestampText,
    sort: fc.oneof(fc.constantFrom(...SORTS, '--lead_time', '+lead_time', 'lead_time,rework_rate', 'LEAD_TIME', 'id', 'total'), hostileString),
    success: fc.constantFrom('true', 'false', 'TRUE', 'False', '1', '0', 'yes', '', 'null'),
    is_rework: fc.constantFrom('true', 'false', 'TRUE', 'False', '1', '0', 'yes', '', 'null'),
    action: fc.oneof(fc.constantFrom('api.dora.deployments.ingested', 'auth.token.created', 'x'.repeat(100), 'x'.repeat(101), 'A.B', "a'b"), hostileString),
    status: fc.oneof(fc.constantFrom('pending', 'processed', 'skipped', 'failed', 'PENDING', 'all'), hostileString),
    cursor: cursorValue,
  };
  return fc.oneof({ weight: 4, arbitrary: near[key] ?? hostileString }, { weight: 1, arbitrary: hostileString });
}

const hostileKey = fc.oneof(
  fc.constantFrom('window[]', 'window[a]', 'window[0]', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'limit ', ' limit', 'LIMIT', 'Window', 'cursor[]', 'a.b', ''),
  hostileString,
);

/** One query parameter: a known key or a hostile one, encoded, or a raw fragment no encoder would make. */
type Part = { key: string; value?: Value } | { raw: string };

function queryParts(endpoint: readonly string[]): fc.Arbitrary<Part[]> {
  const known = endpoint.length > 0 ? fc.constantFrom(...endpoint).chain((key) => fc.record({ key: fc.constant(key), value: valueFor(key) })) : fc.record({ key: hostileKey, value: hostileString });
  const part: fc.Arbitrary<Part> = fc.oneof(
    { weight: 6, arbitrary: known },
    { weight: 1, arbitrary: fc.record({ key: hostileKey, value: fc.oneof(hostileString, hostileJson.map((v) => jsonText(v))) }) },
    { weight: 1, arbitrary: hostileKey.map((key) => ({ key })) },
    { weight: 1, arbitrary: fc.constantFrom('&', '&&', '=', '==x', '%', '%ZZ', '%00', '%0', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '+', '%2B', '?', '#x', 'x=%', 'a=1=2', ';', 'limit=1&limit=2', 'window=7&window=30', 'cursor=&cursor=x').map((raw) => ({ raw })) },
  );
  // Node refuses a request line over its 16 KiB header limit (431, before the app sees it): stay well under.
  return fc.array(part, { maxLength: 6 }).filter((parts) => encodeQuery(parts, (value) => (typeof value === 'string' ? value : 'x'.repeat(200))).length <= MAX_QUERY);
}
const MAX_QUERY = 10_000;

function encodeQuery(parts: Part[], resolve: (value: Value) => string): string {
  const encoded = parts.map((part) => ('raw' in part ? part.raw : part.value === undefined ? percentEncode(part.key) : `${percentEncode(part.key)}=${percentEncode(resolve(part.value))}`));
  return encoded.length > 0 ? `?${encoded.join('&')}` : '';
}

/** Path segments that are not what a route expects. */
const hostileSegment: fc.Arbitrary<Value> = fc.oneof(
  { weight: 3, arbitrary: hostileString.map((s) => percentEncode(s)).filter((s) => s !== '' && s.length <= MAX_QUERY) },
  { weight: 2, arbitrary: fc.constantFrom('..', '.', '%2e%2e', '%2E', '%00', 'a%00b', '%2F', 'a%2Fb', '%5C', '%ZZ', '%', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%25', '%20', '~', '*', 'null', 'x'.repeat(8000), '%F0%9F%98%80') },
  { weight: 1, arbitrary: fc.uuid().map((s) => s) },
  { weight: 1, arbitrary: fc.constantFrom<Real>('deployment-id', 'slug').chain((real) => fc.record({ real: fc.constant(real), suffix: fc.constantFrom('', '%00', '.', '/', '/..', 'x', '%20', '..%2F') })) },
);

// ---------------------------------------------------------------------------------------------

describe(`fuzz: query parameters and path parameters of the read endpoints (FUZZ_SEED=${seed})`, () => {
  let t: TestApp;
  let org: Tenant;
  let write: string;
  let reader: string;
  const real = new Map<Real, string>();
  const stats = new FuzzStats('fuzz-queries', seed);

  beforeAll(async () => {
    t = await startTestApp({ INGEST_RATE_LIMIT_PER_MINUTE: '0' });
    await listen(t);
    org = await createOrg(t.app, 'fuzz-queries');
    ({ secret: write } = await createToken(t.app, org));
    ({ secret: reader } = await createToken(t.app, org, ['dora:read', 'dora:admin']));
    // Data behind every list: three repos, two environments, failures, lead times, a replay.
    const now = Date.now();
    for (let i = 0; i < 36; i++) {
      const res = await t
        .http()
        .post('/api/v1/dora/deployments')
        .set('Authorization', `Bearer ${write}`)
        .send({
          repo_full_name: ['fuzz/web', 'fuzz/api', 'fuzz/app'][i % 3],
          environment: i % 4 === 0 ? 'staging' : 'production',
          deployed_at: new Date(now - i * 7_200_000).toISOString(),
          commit_sha: 'abcdef0',
          committed_at: new Date(now - i * 7_200_000 - 3_600_000).toISOString(),
          success: i % 5 !== 0,
          is_rework: i % 7 === 0,
          external_ref: `seed-${i}`,
        });
      if (res.status !== 201) throw new Error(`seeding: ${describeAnswer(res)}`);
      if (i === 0) real.set('deployment-id', res.body.id);
    }
    real.set('slug', org.slug);
    for (const path of ['dora/repos', 'dora/deployments', 'audit'] as const) {
      const res = await t.http().get(`/api/v1/orgs/${org.slug}/${path}?limit=1`).set('Authorization', `Bearer ${reader}`);
      if (res.status !== 200 || typeof res.body.next_cursor !== 'string') throw new Error(`no cursor of ${path}: ${describeAnswer(res)}`);
      real.set(`cursor:${path}`, res.body.next_cursor);
    }
  });
  afterAll(async () => {
    console.log(stats.report());
    await closeOwnerPool();
    await t?.close();
  });

  const resolve = (value: Value): string => {
    if (typeof value === 'string') return value;
    let text = real.get(value.real)!;
    if (value.flip !== undefined && text.length > 0) {
      const at = value.flip % text.length;
      text = `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    }
    return text + (value.suffix ?? '');
  };

  /** One GET and its checks. */
  async function read(property: string, path: string, statuses: number[], check?: (res: Response) => void): Promise<void> {
    const res = await stats.request(property, truncate(path, 300), () => t.http().get(path).set('Authorization', `Bearer ${reader}`));
    checkApiAnswer(res, { statuses });
    checkNoPrototypePollution();
    check?.(res);
  }

  const pageShape = (res: Response) => {
    if (res.status !== 200) return;
    const body: unknown = res.body;
    if (!isPlainObject(body) || !Array.isArray(body.items) || !(body.next_cursor === null || typeof body.next_cursor === 'string')) {
      throw new PropertyFailure(`a 200 page that is not { items, next_cursor }: ${describeAnswer(res)}`);
    }
  };

  /** Reads never write: the org's rows, counted around a whole property. */
  async function writesNothing(run: () => Promise<void>): Promise<void> {
    const before = await orgRows(org.id);
    await run();
    checkWrites(before, await orgRows(org.id));
  }

  for (const [endpoint, params] of Object.entries(QUERIES) as [QueryEndpoint, readonly string[]][]) {
    it(`${endpoint}: random, repeated, array-like and over-long parameters, bad cursors and timestamps: 200 or 400, never a 5xx, nothing written`, async () => {
      const property = `query ${endpoint}`;
      await writesNothing(() =>
        fc.assert(
          fc.asyncProperty(queryParts(params), async (parts) => {
            const path = `/api/v1/orgs/${org.slug}/${endpoint}${encodeQuery(parts, resolve)}`;
            await read(property, path, [200, 400], PAGED.has(endpoint) ? pageShape : undefined);
          }),
          runs(seed, 300),
        ),
      );
    });
  }

  it('bad cursors of every paged list (random base64url, valid base64 of the wrong JSON, the right shape with hostile contents, real ones altered): 200 or 400', async () => {
    const property = 'cursors';
    const paged = [...PAGED] as QueryEndpoint[];
    await writesNothing(() =>
      fc.assert(
        fc.asyncProperty(fc.constantFrom(...paged), cursorValue, fc.option(fc.integer({ min: 1, max: 3 }).map(String), { nil: undefined }), async (endpoint, cursor, limit) => {
          const query = encodeQuery([{ key: 'cursor', value: cursor }, ...(limit ? [{ key: 'limit', value: limit }] : [])], resolve);
          await read(property, `/api/v1/orgs/${org.slug}/${endpoint}${query}`, [200, 400], pageShape);
        }),
        { ...runs(seed, 300), examples: [
          ['dora/repos', 'W2ZhbHNlLDAsIlx1MDAwMCJd', undefined], // [false, 0, "\u0000"]
          ['audit', 'WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzE2OjAwIiwiMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAwIl0', undefined], // ["2026-01-01T00:00:00+16:00", "00000000-…"]
        ] },
      ),
    );
  });

  it('well-formed queries of every endpoint: 200', async () => {
    const property = 'well-formed queries';
    const valid: Record<QueryEndpoint, fc.Arbitrary<Record<string, string>>> = {
      'dora/summary': fc.record({ environment: fc.constantFrom('production', 'staging', 'nowhere'), repo: fc.constantFrom('fuzz/web', 'fuzz/api', 'no/such'), as_of: validTimestamp(YEAR_1_MS, YEAR_9999_MS).map((s) => s.text), window: fc.constantFrom('7', '30', '90') }, { requiredKeys: [] }),
      'dora/series': fc.record({ environment: fc.constantFrom('production', 'staging'), repo: fc.constantFrom('fuzz/web', 'fuzz/app'), as_of: validTimestamp(YEAR_1_MS, YEAR_9999_MS).map((s) => s.text), days: fc.integer({ min: 1, max: 90 }).map(String) }, { requiredKeys: [] }),
      'dora/repos': fc.record({ window: fc.constantFrom('7', '30', '90'), environment: fc.constantFrom('production', 'staging'), as_of: validTimestamp(YEAR_1_MS, YEAR_9999_MS).map((s) => s.text), sort: fc.constantFrom(...SORTS), limit: fc.integer({ min: 1, max: 200 }).map(String) }, { requiredKeys: [] }),
      'dora/deployments': fc
        .record({ repo: fc.constantFrom('fuzz/web', 'fuzz/api'), environment: fc.constantFrom('production', 'staging'), success: fc.constantFrom('true', 'false'), is_rework: fc.constantFrom('true', 'false'), from: validTimestamp(YEAR_1_MS, NOW - 1000), to: validTimestamp(NOW + 1000, YEAR_9999_MS), limit: fc.integer({ min: 1, max: 200 }).map(String) }, { requiredKeys: [] })
        .map(({ from, to, ...rest }) => ({ ...rest, ...(from ? { from: from.text } : {}), ...(to ? { to: to.text } : {}) })),
      audit: fc
        .record({ action: fc.constantFrom('api.dora.deployments.ingested', 'auth.token.created', 'no.such'), from: validTimestamp(YEAR_1_MS, NOW - 1000), to: validTimestamp(NOW + 1000, YEAR_9999_MS), limit: fc.integer({ min: 1, max: 200 }).map(String) }, { requiredKeys: [] })
        .map(({ from, to, ...rest }) => ({ ...rest, ...(from ? { from: from.text } : {}), ...(to ? { to: to.text } : {}) })),
      'webhooks/deliveries': fc.record({ status: fc.constantFrom('pending', 'processed', 'skipped', 'failed'), limit: fc.integer({ min: 1, max: 200 }).map(String) }, { requiredKeys: [] }),
    };
    const endpoints = Object.keys(valid) as QueryEndpoint[];
    await writesNothing(() =>
      fc.assert(
        fc.asyncProperty(fc.constantFrom(...endpoints).chain((endpoint) => fc.tuple(fc.constant(endpoint), valid[endpoint])), async ([endpoint, query]) => {
          const search = new URLSearchParams(query).toString();
          await read(property, `/api/v1/orgs/${org.slug}/${endpoint}${search ? `?${search}` : ''}`, [200], PAGED.has(endpoint) ? pageShape : undefined);
        }),
        runs(seed, 200),
      ),
    );
  });

  it('endpoints without parameters ignore any query (200) unless it holds text no database stores (400), never a 5xx', async () => {
    const property = 'plain endpoints';
    await writesNothing(() =>
      fc.assert(
        fc.asyncProperty(fc.constantFrom(...PLAIN), queryParts([]), async (endpoint, parts) => {
          const query = encodeQuery(parts, resolve);
          // Decoded as Node's own query parser does (invalid UTF-8 becomes U+FFFD, so only NUL survives as unstorable).
          const unstorable = Object.entries(querystring.parse(query.slice(1))).some(([key, value]) => [key, ...[value ?? []].flat()].some((text) => text.includes('\u0000')));
          await read(property, `/api/v1/orgs/${org.slug}/${endpoint}${query}`, unstorable ? [400] : [200]);
        }),
        runs(seed, 200),
      ),
    );
  });

  it('deployments/{id} with random ids, "..", %00, bad percent-encoding, very long ids: 200 for its own deployment, else 400/404', async () => {
    const property = 'deployment id';
    await writesNothing(() =>
      fc.assert(
        fc.asyncProperty(hostileSegment, queryParts([]), async (id, parts) => {
          await read(property, `/api/v1/orgs/${org.slug}/dora/deployments/${resolve(id)}${encodeQuery(parts, resolve)}`, [200, 400, 404]);
        }),
        runs(seed, 250),
      ),
    );
  });

  it('org slugs that are not the caller’s (.., %00, long, unicode, case variants): 404 like a slug that does not exist (400 for undecodable), never a 5xx', async () => {
    const property = 'org slug';
    const rest = fc.constantFrom(...Object.keys(QUERIES), ...PLAIN, 'dora/deployments/00000000-0000-7000-8000-000000000000');
    const slug: fc.Arbitrary<Value> = fc.oneof(hostileSegment, fc.constantFrom<Value>({ real: 'slug', suffix: '' }).map((v) => v), fc.constantFrom('api', 'demo', 'a', 'A', '-', '0'.repeat(40), 'x'.repeat(41)));
    await writesNothing(() =>
      fc.assert(
        fc.asyncProperty(slug, rest, fc.boolean(), async (s, path, upper) => {
          const text = resolve(s);
          const slugText = upper && typeof s !== 'string' ? text.toUpperCase() : text;
          await read(property, `/api/v1/orgs/${slugText}/${path}`, [200, 400, 404]);
        }),
        { ...runs(seed, 250), examples: [['%00', 'dora/summary', false]] },
      ),
    );
  });

  it('is still healthy afterwards: /healthz and /readyz 200, and a valid ingest 201', async () => {
    await checkHealthy(t, write);
  });
});

