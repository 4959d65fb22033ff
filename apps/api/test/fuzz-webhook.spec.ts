import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { createHash, createHmac } from 'node:crypto';
import type { Test } from 'supertest';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { SECRET, sign } from './support/fake-forgejo.js';
import {
  PropertyFailure,
  YEAR_1_MS,
  YEAR_9999_MS,
  checkApiAnswer,
  closeOwnerPool,
  checkHealthy,
  checkNoPrototypePollution,
  checkWrites,
  describeAnswer,
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
  ownerStatement,
  sqlLiteral,
  sqlText,
  runs,
  sendRaw,
  truncate,
  validTimestamp,
} from './support/fuzz-support.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

/*
 * Hostile deliveries for POST /api/v1/webhooks/forgejo (DESIGN §6), through the real HTTP app started
 * with FORGEJO_WEBHOOK_SECRET: random bodies signed correctly and incorrectly, random or missing event
 * and signature headers, JSON that is not an object, bodies around the 1 MiB limit. Every case: no
 * 5xx, the one error shape, the status the wire contract gives (202 stored, 200 stored before, 401 bad
 * or missing signature, 400 unsigned-but-valid JSON missing or no event, 413 over 1 MiB), a refused
 * delivery stores nothing (its body's hash and delivery id looked up before and after), and no org
 * gets anything (the deliveries name owners no org maps). FUZZ_SEED replays a run.
 */

const seed = fuzzFile('fuzz-webhook');

const URL = '/api/v1/webhooks/forgejo';
const LIMIT = 1024 * 1024;
const STATUSES = ['pending', 'processed', 'skipped', 'failed'];

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

/** Characters Node lets a client put in a header value (no control characters but tab). */
const headerText = (maxLength: number) =>
  fc.string({ unit: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) }, { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) }, { weight: 1, arbitrary: fc.constant(0x09) }).map((c) => String.fromCharCode(c)), maxLength });

/** An owner login of its own (releases of it land in no org), with a hostile tail. */
const owner = fc.tuple(fc.stringMatching(/^[0-9a-f]{10}$/), fc.oneof(fc.constant(''), hostileString)).map(([hex, tail]) => `fzwh-${hex}${tail}`);
const repository = fc.record({ owner: fc.oneof({ weight: 5, arbitrary: owner.map((login) => ({ login })) }, { weight: 1, arbitrary: hostileJson }), full_name: fc.oneof(owner.map((o) => `${o}/webshop`), hostileString), name: fc.oneof(fc.constant('webshop'), hostileString) }, { requiredKeys: [] });
const release = fc.record(
  {
    action: fc.oneof(fc.constantFrom('published', 'updated', 'created', 'deleted'), hostileString),
    release: fc.record(
      {
        id: fc.oneof(fc.nat(), fc.constantFrom(-1, 0, 1e308, 2 ** 53 + 2, 0.5), hostileJson),
        tag_name: fc.oneof(fc.constantFrom('v1.4.0', 'v', ''), hostileString),
        target_commitish: fc.oneof(fc.constantFrom('main', '4704266ef0d0d2cc1377ad083c0a0f5ef02f02e9'), hostileString),
        created_at: fc.oneof(validTimestamp(YEAR_1_MS, YEAR_9999_MS).map((t) => t.text), hostileTimestamp, hostileJson),
        draft: fc.oneof(fc.boolean(), hostileJson),
        prerelease: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    repository,
  },
  { requiredKeys: [] },
);
const tagPush = fc.record({ ref: fc.oneof(fc.constantFrom('v1.4.2', 'refs/tags/v1.4.2', 'refs/tags/x', 'main'), hostileString.map((s) => `v${s}`)), ref_type: fc.oneof(fc.constantFrom('tag', 'branch'), hostileString), repository }, { requiredKeys: [] });

/** JSON objects as bytes: Forgejo-like payloads with hostile fields, any object, escapes no encoder makes. */
const objectBody: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 3, arbitrary: fc.oneof(release, tagPush).map((value) => Buffer.from(jsonText(value), 'utf8')) },
  { weight: 2, arbitrary: hostileJson.filter(isPlainObject).map((value) => Buffer.from(jsonText(value), 'utf8')) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('{"a":"\\u0000"}', '{"a":"\\ud800"}', '{"\\u0000":1}', '{"a":"\\udfff\\ud800"}', '{"a":1e400}', '{"a":-0}', '{"a":1,"a":2}', '\ufeff{}', '{}', ' {} ', '{"a":123456789012345678901234567890}', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}')
      .map((text) => Buffer.from(text, 'utf8')),
  },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 30 }), invalidUtf8).map(([text, bytes]) => Buffer.concat([Buffer.from(`{"a":"${text.replace(/["\\]/g, '')}`), bytes, Buffer.from('"}')])) },
);
/** A JSON object with a deeply nested value (arrays or objects), up to far beyond what any payload has. */
const deepBody: fc.Arbitrary<Buffer> = fc
  .tuple(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 40_000 })), fc.constantFrom('[', '{"a":'))
  .map(([depth, open]) => Buffer.from(`{"a":${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}}`, 'utf8'));
/** Plain JSON objects, for the properties about headers: the bodies' own troubles have properties of their own. */
const plainObjectBody: fc.Arbitrary<Buffer> = fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()), { maxKeys: 4 }).map((value) => Buffer.from(jsonText(value), 'utf8'));
/** JSON that is not an object: arrays, strings, numbers, booleans, null. */
const nonObjectBody: fc.Arbitrary<Buffer> = fc.oneof(
  hostileJson.filter((value) => !isPlainObject(value)).map((value) => Buffer.from(jsonText(value), 'utf8')),
  fc.constantFrom('[]', '[1]', '""', 'null', '0', 'true', '"\\u0000"', ' null ', '-0', '1e400').map((text) => Buffer.from(text, 'utf8')),
);
/** Bytes that are not JSON (or not UTF-8 at all). */
const notJsonBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ maxLength: 40 }).map((text) => Buffer.from(text, 'utf8')),
  fc.constantFrom('', '{', '{"a":', 'NaN', '{a:1}', "{'a':1}", '[1,]', '\u0000').map((text) => Buffer.from(text, 'utf8')),
);
const body = fc.oneof(objectBody, nonObjectBody, notJsonBody);

type Sig = { kind: 'right'; via: 'forgejo' | 'gitea' | 'hub' | 'hub-upper' | 'upper-hex' | 'padded' } | { kind: 'wrong'; how: string; value?: string } | { kind: 'none' };
const rightSignature: fc.Arbitrary<Sig> = fc.constantFrom('forgejo', 'gitea', 'hub', 'hub-upper', 'upper-hex', 'padded').map((via) => ({ kind: 'right', via }) as Sig);
const wrongSignature: fc.Arbitrary<Sig> = fc.oneof(
  fc.constantFrom('other secret', 'other body', 'truncated', 'one hex digit off', 'empty', 'sha1 length', 'doubled', 'base64', 'gitea wrong while hub right', 'forgejo wrong while gitea right').map((how) => ({ kind: 'wrong', how }) as Sig),
  fc.stringMatching(/^[0-9a-f]{64}$/).map((value) => ({ kind: 'wrong', how: 'random hex', value }) as Sig),
  headerText(100).map((value) => ({ kind: 'wrong', how: 'random text', value }) as Sig),
);

/** The headers of a delivery signed (or not) as `sig` says, over the bytes Forgejo signs. */
function signatureHeaders(sig: Sig, signed: Buffer): Record<string, string> {
  const right = sign(signed);
  if (sig.kind === 'none') return {};
  if (sig.kind === 'right') {
    switch (sig.via) {
      case 'forgejo':
        return { 'X-Forgejo-Signature': right };
      case 'gitea':
        return { 'X-Gitea-Signature': right };
      case 'hub':
        return { 'X-Hub-Signature-256': `sha256=${right}` };
      case 'hub-upper':
        return { 'X-Hub-Signature-256': `SHA256=${right.toUpperCase()}` };
      case 'upper-hex':
        return { 'X-Forgejo-Signature': right.toUpperCase() };
      case 'padded':
        return { 'X-Forgejo-Signature': ` ${right} ` }; // HTTP drops the spaces: still the right one
    }
  }
  const wrong: Record<string, string> = {
    'other secret': createHmac('sha256', 'not-the-secret').update(signed).digest('hex'),
    'other body': sign(Buffer.concat([signed, Buffer.from(' ')])),
    truncated: right.slice(0, 63),
    'one hex digit off': `${right.slice(0, 63)}${right.endsWith('0') ? '1' : '0'}`,
    empty: '',
    'sha1 length': right.slice(0, 40),
    doubled: right + right,
    base64: Buffer.from(right, 'hex').toString('base64'),
  };
  if (sig.how === 'gitea wrong while hub right') return { 'X-Gitea-Signature': wrong['other secret']!, 'X-Hub-Signature-256': `sha256=${right}` };
  if (sig.how === 'forgejo wrong while gitea right') return { 'X-Forgejo-Signature': wrong['one hex digit off']!, 'X-Gitea-Signature': right };
  return { 'X-Forgejo-Signature': sig.value ?? wrong[sig.how]! };
}

const event = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<string | undefined>('release', 'create', 'push', 'release', 'create') },
  { weight: 1, arbitrary: fc.constantFrom<string | undefined>(undefined, '', 'Release', 'issues', 'ping') },
  { weight: 1, arbitrary: headerText(60) },
);
const eventHeader = fc.constantFrom('X-Forgejo-Event', 'X-Gitea-Event', 'X-Gogs-Event');
const deliveryId = fc.oneof({ weight: 5, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.constantFrom<string | undefined>(undefined, '', 'x'.repeat(4000), 'same-delivery-id') }, { weight: 1, arbitrary: headerText(80) });
const contentType = fc.constantFrom<string | undefined>('application/json', 'application/json', 'application/json', 'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded;charset=utf-8', undefined, 'text/plain', 'application/json; charset=utf-8');

interface Delivery {
  body: Buffer;
  sig: Sig;
  event?: string | undefined;
  eventHeader: string;
  deliveryId?: string | undefined;
  contentType?: string | undefined;
  /** Extra headers: duplicates, other products' headers. */
  extra?: Record<string, string>;
}

const FORM = /^application\/x-www-form-urlencoded/i;

/** The wire body: for a form, `payload=<the JSON, percent-encoded>` — except `;raw`, a form body that is just the JSON (no payload field). */
function wireBody(d: Delivery): Buffer {
  if (d.contentType === 'application/x-www-form-urlencoded') return Buffer.from(`payload=${encodeURIComponent(d.body.toString('utf8'))}`, 'utf8');
  return d.body;
}

/** The bytes Forgejo signed, read from the wire as the fixtures README says: a form's `payload` field, else the body; `undefined` for a form without one. */
function signedBytes(contentType: string | undefined, wire: Buffer): Buffer | undefined {
  if (contentType === undefined || !FORM.test(contentType)) return wire;
  const payload = new URLSearchParams(wire.toString('utf8')).get('payload');
  return payload === null ? undefined : Buffer.from(payload, 'utf8');
}

const trimmed = (value: string | undefined) => value?.replace(/^[ \t]+|[ \t]+$/g, '');
const firstHeader = (headers: Record<string, string>, ...names: string[]) => {
  for (const name of names) {
    const value = trimmed(Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1]);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
};

/**
 * A payload the service keeps: a JSON object, at most 64 containers deep, whose keys and strings the
 * database can store and whose keys are no prototype names. Walked without recursion.
 */
function storablePayload(payload: unknown): boolean {
  if (!isPlainObject(payload)) return false;
  const pending: [unknown, number][] = [[payload, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value === 'string' && !isStorable(value)) return false;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > 64) return false;
    for (const [key, child] of Object.entries(value)) {
      if (!Array.isArray(value) && (!isStorable(key) || isPrototypeName(key))) return false;
      pending.push([child, depth + 1]);
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------

describe(`fuzz: POST ${URL} (FUZZ_SEED=${seed})`, () => {
  let t: TestApp;
  let org: Tenant;
  let write: string;
  const stats = new FuzzStats('fuzz-webhook', seed);

  beforeAll(async () => {
    t = await startTestApp({ FORGEJO_WEBHOOK_SECRET: SECRET });
    await listen(t);
    org = await createOrg(t.app, 'fuzz-webhook');
    ({ secret: write } = await createToken(t.app, org));
  });
  afterAll(async () => {
    console.log(stats.report());
    await closeOwnerPool();
    await t?.close();
  });

  const stored = async (sha: string, id: string | undefined) =>
    (
      await ownerStatement<{ by_body: number; by_id: number }>(
        `SELECT (SELECT count(*) FROM webhook_deliveries WHERE body_sha256 = ${sqlLiteral(sha)})::int AS by_body,
                (SELECT count(*) FROM webhook_deliveries WHERE delivery_id = ${id === undefined ? 'NULL' : sqlText(id)})::int AS by_id`,
      )
    )[0]!;

  /** Sends one delivery to `app` and checks the answer against the wire contract, and what it stored. */
  async function deliver(property: string, d: Delivery, app: TestApp = t, configured = true): Promise<void> {
    const wire = wireBody(d);
    const fromWire = signedBytes(d.contentType, wire);
    const signed = fromWire ?? d.body; // a form without a payload field: sign the body, for all the good it does
    const headers: Record<string, string> = { ...signatureHeaders(d.sig, signed), ...(d.extra ?? {}) };
    if (d.event !== undefined) headers[d.eventHeader] = d.event;
    if (d.deliveryId !== undefined) headers['X-Forgejo-Delivery'] = d.deliveryId;
    const effectiveId = firstHeader(headers, 'x-forgejo-delivery', 'x-gitea-delivery', 'x-github-delivery');
    const sha = createHash('sha256').update(signed).digest('hex');
    const before = await stored(sha, effectiveId);
    const label = `${d.contentType ?? '(no Content-Type)'} ${JSON.stringify(Object.keys(headers))} event=${truncate(d.event ?? '(none)', 40)} sig=${JSON.stringify(d.sig).slice(0, 80)} ${truncate(wire.toString('latin1'), 160)} (${wire.length} bytes)`;
    const res = await stats.request(property, label, () => sendRaw(app.http().post(URL).set(headers) as Test, wire, d.contentType));
    checkApiAnswer(res, { statuses: [200, 202, 400, 401, 413, 503], documented503: configured ? [] : ['not_configured'] });
    checkNoPrototypePollution();
    const fail = (what: string): never => {
      throw new PropertyFailure(`${what}; sent ${label}; the answer was ${describeAnswer(res)}`);
    };

    // The wire contract, read independently.
    let expected: number[];
    if (wire.length > LIMIT) expected = [413];
    else if (!configured) expected = [503];
    else if (fromWire === undefined) expected = [400];
    else {
      const presented = firstHeader(headers, 'x-forgejo-signature', 'x-gitea-signature') ?? firstHeader(headers, 'x-hub-signature-256')?.replace(/^sha256=/i, '');
      let payload: unknown;
      let json = true;
      try {
        payload = JSON.parse(signed.toString('utf8'));
      } catch {
        json = false;
      }
      if (!presented || presented.toLowerCase() !== sign(signed)) expected = [401];
      else if (!json || !storablePayload(payload)) expected = [400];
      else if (!firstHeader(headers, 'x-forgejo-event', 'x-gitea-event', 'x-gogs-event')) expected = [400];
      else expected = before.by_body > 0 || before.by_id > 0 ? [200] : [202];
    }
    if (!expected.includes(res.status)) fail(`expected ${expected.join(' or ')}`);

    const after = await stored(sha, effectiveId);
    if (res.status === 200 || res.status === 202) {
      if (!isPlainObject(res.body) || Object.keys(res.body).sort().join() !== 'id,status' || !STATUSES.includes(res.body.status as string)) fail('a receipt that is not { id, status }');
      if (after.by_body + after.by_id === 0) fail('answered as stored, but no delivery has its body or its delivery id');
    } else if (after.by_body !== before.by_body || after.by_id !== before.by_id) {
      fail(`refused, yet stored (deliveries with its body ${before.by_body} → ${after.by_body}, with its id ${before.by_id} → ${after.by_id})`);
    }
  }

  /** No org gets anything from these deliveries: their owners are mapped nowhere. */
  async function orgUntouched(run: () => Promise<void>): Promise<void> {
    const before = await orgRows(org.id);
    await run();
    checkWrites(before, await orgRows(org.id));
  }

  const right = { kind: 'right', via: 'forgejo' } as const;
  const examples = (...texts: string[]) => texts.map((text) => [Buffer.from(text, 'utf8'), right, 'release', 'X-Forgejo-Event', undefined, 'application/json'] as [Buffer, Sig, string | undefined, 'X-Forgejo-Event' | 'X-Gitea-Event' | 'X-Gogs-Event', string | undefined, string | undefined]);
  for (const [what, bodies, runCount, known] of [
    ['JSON objects (Forgejo-like payloads with hostile fields, escaped NUL and lone surrogates)', objectBody, 220, examples('{"a":"\\u0000"}', '{"a":"\\ud800"}')],
    ['JSON objects nested 1 to 40,000 levels deep', deepBody, 30, examples(`{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`)],
    ['JSON that is not an object (arrays, strings, numbers, null)', nonObjectBody, 100, examples('null', '[1]', '"x"', '1e400')],
    ['bodies that are not JSON or not UTF-8', notJsonBody, 100, []],
  ] as const) {
    it(`${what}, signed correctly (any of the three headers), with random events, delivery ids and content types: 202/200 once stored (a storable JSON object), else 400 — never a 5xx`, async () => {
      const property = `signed: ${what.replace(/ \(.*/, '')}`;
      await orgUntouched(() =>
        fc.assert(
          fc.asyncProperty(bodies, rightSignature, event, eventHeader, deliveryId, contentType, async (b, sig, ev, evHeader, id, type) => {
            await deliver(property, { body: b, sig, event: ev, eventHeader: evHeader, deliveryId: id, contentType: type });
          }),
          { ...runs(seed, runCount), examples: [...known] },
        ),
      );
    });
  }

  it('random bodies signed wrongly or not at all: 401 invalid_signature, nothing stored', async () => {
    const property = 'bad signatures';
    await orgUntouched(() =>
      fc.assert(
        fc.asyncProperty(body, fc.oneof({ weight: 5, arbitrary: wrongSignature }, { weight: 1, arbitrary: fc.constant<Sig>({ kind: 'none' }) }), event, eventHeader, deliveryId, contentType, async (b, sig, ev, evHeader, id, type) => {
          await deliver(property, { body: b, sig, event: ev, eventHeader: evHeader, deliveryId: id, contentType: type });
        }),
        runs(seed, 300),
      ),
    );
  });

  it('random, missing and conflicting headers (events, signatures, delivery ids of Forgejo, Gitea and GitHub): the contract’s answer', async () => {
    const property = 'headers';
    const name = fc.constantFrom('X-Forgejo-Event', 'X-Gitea-Event', 'X-Gogs-Event', 'X-GitHub-Event', 'X-Forgejo-Delivery', 'X-Gitea-Delivery', 'X-GitHub-Delivery', 'X-Forgejo-Signature', 'X-Gitea-Signature', 'X-Hub-Signature-256', 'X-Hub-Signature', 'X-Forgejo-Event-Type', 'Content-Encoding', 'X-Forwarded-For');
    await orgUntouched(() =>
      fc.assert(
        fc.asyncProperty(plainObjectBody, fc.oneof(rightSignature, wrongSignature, fc.constant<Sig>({ kind: 'none' })), event, eventHeader, fc.dictionary(name, headerText(80), { maxKeys: 4 }), async (b, sig, ev, evHeader, extra) => {
          // Content-Encoding would make the raw reader inflate; identity only, the rest as generated.
          const headers = Object.fromEntries(Object.entries(extra).map(([key, value]) => [key, key === 'Content-Encoding' ? 'identity' : value]));
          await deliver(property, { body: b, sig, event: ev, eventHeader: evHeader, contentType: 'application/json', extra: headers });
        }),
        runs(seed, 200),
      ),
    );
  });

  it('bodies of exactly 1 MiB − 1, 1 MiB and 1 MiB + 1 bytes, signed: stored up to the limit, 413 over it', async () => {
    const property = '1 MiB limit';
    await orgUntouched(() =>
      fc.assert(
        fc.asyncProperty(fc.constantFrom(LIMIT - 1, LIMIT, LIMIT + 1), fc.constantFrom('release notes', 'padding'), fc.uuid(), async (size, shape, id) => {
          const shell = jsonText({ action: 'published', release: { body: '', id }, repository: { owner: { login: `fzwh-${id}` } } });
          const room = size - Buffer.byteLength(shell);
          const text = shape === 'padding' ? `${shell}${' '.repeat(room)}` : shell.replace('"body":""', `"body":"${'x'.repeat(room)}"`);
          await deliver(property, { body: Buffer.from(text, 'utf8'), sig: { kind: 'right', via: 'forgejo' }, event: 'release', eventHeader: 'X-Forgejo-Event', deliveryId: id, contentType: 'application/json' });
        }),
        runs(seed, 6),
      ),
    );
  });

  it('without FORGEJO_WEBHOOK_SECRET every delivery is 503 not_configured (413 over the limit), nothing stored', async () => {
    const property = 'not configured';
    const bare = await startTestApp({});
    try {
      await listen(bare);
      await fc.assert(
        fc.asyncProperty(body, fc.oneof(rightSignature, wrongSignature, fc.constant<Sig>({ kind: 'none' })), event, eventHeader, deliveryId, contentType, async (b, sig, ev, evHeader, id, type) => {
          await deliver(property, { body: b, sig, event: ev, eventHeader: evHeader, deliveryId: id, contentType: type }, bare, false);
        }),
        runs(seed, 50),
      );
    } finally {
      await bare.close();
    }
  });

  it('is still healthy afterwards: /healthz and /readyz 200, and a valid ingest 201', async () => {
    await checkHealthy(t, write);
  });
});
