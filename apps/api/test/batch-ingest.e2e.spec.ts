import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDeployments } from '../src/cli/import-deployments.js';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

const BATCH = '/api/v1/dora/deployments/batch';
const SINGLE = '/api/v1/dora/deployments';
const NDJSON = 'application/x-ndjson';

const deployment = (ref: string, fields: object = {}) => ({
  repo_full_name: 'acme/web',
  environment: 'production',
  deployed_at: '2026-05-14T10:00:00Z',
  commit_sha: 'abc1234def',
  committed_at: '2026-05-14T09:30:00Z',
  external_ref: ref,
  ...fields,
});
const ndjson = (lines: unknown[]) => lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n';

describe('POST /api/v1/dora/deployments/batch', () => {
  let t: TestApp;
  let org: Tenant;
  let write: string;
  let writeId: string;
  let read: string;

  beforeAll(async () => {
    t = await startTestApp({ INGEST_RATE_LIMIT_PER_MINUTE: '0' });
    org = await createOrg(t.app, 'batch');
    ({ secret: write, id: writeId } = await createToken(t.app, org));
    ({ secret: read } = await createToken(t.app, org, ['dora:read']));
  });
  afterAll(() => t.close());

  const send = (body: string | Buffer, token = write, type = NDJSON) =>
    t.http().post(BATCH).set('Authorization', `Bearer ${token}`).set('Content-Type', type).send(body);
  const counts = async (tenant: Tenant) => {
    const [row] = await t.ownerQuery<{ deployments: number; events: number }>(
      `SELECT (SELECT count(*) FROM dora_deployments WHERE tenant_id = $1)::int AS deployments,
              (SELECT count(*) FROM audit_events WHERE tenant_id = $1 AND action = 'api.dora.deployments.ingested')::int AS events`,
      [tenant.id],
    );
    return row!;
  };

  it('stores each good line and refuses each bad one on its own, counting lines from 0 (blank ones too)', async () => {
    const before = await counts(org);
    const body = [
      JSON.stringify(deployment('mixed-0')),
      '',
      '{"repo_full_name": "acme/web", ',
      JSON.stringify(deployment('mixed-3', { environment: 'not an environment!' })),
      '[1, 2]',
      `${JSON.stringify(deployment('mixed-5', { commits: [{ sha: 'abc1234def', committed_at: '2026-05-14T09:30:00Z' }, { sha: 'def5678', committed_at: '2026-05-13T09:30:00Z' }] }))}\r`,
      JSON.stringify(deployment('mixed-6', { surprise: true })),
      '   ',
      JSON.stringify(deployment('mixed-8', { team: 'no-such-team' })),
    ].join('\n');
    const res = await send(body).set('X-Request-Id', 'req-mixed-batch').expect(200);

    expect(res.body.totals).toEqual({ created: 2, deduped: 0, invalid: 5 });
    expect(res.body.results.map((r: { line: number; status: string }) => [r.line, r.status])).toEqual([
      [0, 'created'],
      [2, 'invalid'],
      [3, 'invalid'],
      [4, 'invalid'],
      [5, 'created'],
      [6, 'invalid'],
      [8, 'invalid'],
    ]);
    const byLine = Object.fromEntries(res.body.results.map((r: { line: number }) => [r.line, r]));
    expect(byLine[2].error).toMatchObject({ code: 'invalid_json', message: expect.stringMatching(/^Line 2 is not valid JSON/) });
    expect(byLine[3].error).toMatchObject({ code: 'validation_failed', details: [{ field: 'environment', message: expect.any(String) }] });
    expect(byLine[4].error).toMatchObject({ code: 'validation_failed', message: 'Line 4 must be a JSON object: one deployment' });
    expect(byLine[6].error).toMatchObject({ code: 'validation_failed', details: [{ field: 'surprise', message: 'is not a known field' }] });
    expect(byLine[8].error).toMatchObject({ code: 'validation_failed', details: [{ field: 'team', message: 'no team "no-such-team" in this org' }] });
    expect(byLine[0]).toEqual({ line: 0, status: 'created', id: expect.any(String) });

    expect(await counts(org)).toEqual({ deployments: before.deployments + 2, events: before.events + 2 });
    const stored = await t.ownerQuery<{ external_ref: string; n: number }>(
      `SELECT d.external_ref, (SELECT count(*) FROM dora_deployment_commits c WHERE c.tenant_id = d.tenant_id AND c.deployment_id = d.id)::int AS n
         FROM dora_deployments d WHERE d.tenant_id = $1 AND d.id = ANY ($2::uuid[]) ORDER BY 1`,
      [org.id, [byLine[0].id, byLine[5].id]],
    );
    expect(stored).toEqual([
      { external_ref: 'mixed-0', n: 1 },
      { external_ref: 'mixed-5', n: 2 },
    ]);
    const events = await t.ownerQuery<{ subject_id: string; actor_id: string; request_id: string; line: number }>(
      `SELECT subject_id, actor_id, request_id, (metadata->>'batch_line')::int AS line FROM audit_events
        WHERE tenant_id = $1 AND request_id = 'req-mixed-batch' ORDER BY 4`,
      [org.id],
    );
    expect(events).toEqual([
      { subject_id: byLine[0].id, actor_id: writeId, request_id: 'req-mixed-batch', line: 0 },
      { subject_id: byLine[5].id, actor_id: writeId, request_id: 'req-mixed-batch', line: 5 },
    ]);
  });

  it('writes nothing new for a replayed batch, and concurrent overlapping batches store each deployment once', async () => {
    const first = ndjson(Array.from({ length: 30 }, (_, i) => deployment(`overlap-${i}`, { deployed_at: `2026-05-14T10:${String(i).padStart(2, '0')}:00Z` })));
    const second = ndjson(Array.from({ length: 30 }, (_, i) => deployment(`overlap-${i + 15}`, { deployed_at: `2026-05-14T10:${String(i + 15).padStart(2, '0')}:00Z` })));
    const before = await counts(org);
    const [a, b] = await Promise.all([send(first).expect(200), send(second).expect(200)]);
    expect(await counts(org)).toEqual({ deployments: before.deployments + 45, events: before.events + 45 });
    expect(a.body.totals.created + b.body.totals.created).toBe(45);
    expect(a.body.totals.deduped + b.body.totals.deduped).toBe(15);
    const ids = new Map<string, string>();
    for (const [body, res] of [
      [first, a],
      [second, b],
    ] as const) {
      const refs = body.trim().split('\n').map((line) => JSON.parse(line).external_ref as string);
      for (const result of res.body.results as { line: number; id: string }[]) {
        const ref = refs[result.line]!;
        expect(ids.get(ref) ?? result.id).toBe(result.id); // both answers name the one row
        ids.set(ref, result.id);
      }
    }
    const replay = await send(first).expect(200);
    expect(replay.body.totals).toEqual({ created: 0, deduped: 30, invalid: 0 });
    expect(await counts(org)).toEqual({ deployments: before.deployments + 45, events: before.events + 45 });
  });

  it('refuses a body that is not a batch whole, writing nothing', async () => {
    const before = await counts(org);
    const line = JSON.stringify(deployment('whole-refusal'));
    const refusals: [ReturnType<typeof send>, number, string, RegExp][] = [
      [send(line, write, 'application/json'), 415, 'unsupported_media_type', /x-ndjson/],
      [send(line, write, 'text/plain'), 415, 'unsupported_media_type', /x-ndjson/],
      [send('repo,environment,deployed_at\nacme/web,production,2026-05-14T10:00:00Z\n'), 400, 'invalid_json', /not NDJSON/],
      [send('\n \n'), 400, 'validation_failed', /empty/],
      [send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a])), 400, 'validation_failed', /UTF-8/],
      [send(ndjson(Array.from({ length: 10_001 }, () => '{}'))), 413, 'payload_too_large', /at most 10,000 lines/],
      [send(`${line}\n${' '.repeat(10 * 1024 * 1024)}`), 413, 'payload_too_large', /larger than/],
      [t.http().post(BATCH).set('Content-Type', NDJSON).send(line), 401, 'unauthenticated', /Authorization/],
      [send(line, read), 403, 'forbidden', /findings:write/],
    ];
    for (const [request, status, code, message] of refusals) {
      const res = await request.expect(status);
      expect(res.body.error).toMatchObject({ code, message: expect.stringMatching(message) });
    }
    expect(await counts(org)).toEqual(before);
  });

  it('restores a stored failure earlier and takes over a change when a batch brings older history', async () => {
    const history = await createOrg(t.app, 'batch-history');
    const { secret } = await createToken(t.app, history);
    const at = (time: string, fields: object) => ({
      repo_full_name: 'acme/web',
      environment: 'production',
      deployed_at: `2026-05-14T${time}:00Z`,
      external_ref: `history-${time}`,
      ...fields,
    });
    const shipsX = { commits: [{ sha: 'abcdef1', committed_at: '2026-05-14T09:00:00Z' }] };
    for (const body of [at('10:00', { success: false }), at('10:45', { success: false }), at('12:00', shipsX)]) {
      await t.http().post(SINGLE).set('Authorization', `Bearer ${secret}`).send(body).expect(201);
    }
    await send(ndjson([at('11:30', { success: false }), at('11:00', shipsX), at('10:30', { success: false })]), secret).expect(200);

    const rows = await t.ownerQuery<{ external_ref: string; restored_at: Date | null; first_shipped: number }>(
      `SELECT external_ref, restored_at, first_shipped FROM dora_deployments WHERE tenant_id = $1 ORDER BY deployed_at`,
      [history.id],
    );
    const eleven = new Date('2026-05-14T11:00:00Z');
    expect(rows).toEqual([
      { external_ref: 'history-10:00', restored_at: eleven, first_shipped: 0 },
      { external_ref: 'history-10:30', restored_at: eleven, first_shipped: 0 },
      { external_ref: 'history-10:45', restored_at: eleven, first_shipped: 0 },
      { external_ref: 'history-11:00', restored_at: null, first_shipped: 1 },
      { external_ref: 'history-11:30', restored_at: new Date('2026-05-14T12:00:00Z'), first_shipped: 0 },
      { external_ref: 'history-12:00', restored_at: null, first_shipped: 0 },
    ]);
    const [change] = await t.ownerQuery<{ first: string; lead_time_seconds: number }>(
      `SELECT d.external_ref AS first, c.lead_time_seconds FROM dora_changes c
         JOIN dora_deployments d ON d.tenant_id = c.tenant_id AND d.id = c.first_deployment_id WHERE c.tenant_id = $1`,
      [history.id],
    );
    expect(change).toEqual({ first: 'history-11:00', lead_time_seconds: 2 * 3600 });
    const counts = await t.ownerQuery<{ day: string; n: number }>(
      `SELECT day::text, sum(n)::int AS n FROM dora_change_counts WHERE tenant_id = $1 GROUP BY day HAVING sum(n) <> 0`,
      [history.id],
    );
    expect(counts).toEqual([{ day: '2026-05-14', n: 2 }]); // one change, one deployment that first shipped changes
  });

  it('names the operator as the reporter of an imported deployment (no token), and the token of a batch line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dora-batch-import-'));
    try {
      const file = join(dir, 'history.ndjson');
      await writeFile(file, ndjson([deployment('reported-by-import')]));
      await importDeployments(t.app, org, file, join(dir, 'refused.ndjson'));
      await send(ndjson([deployment('reported-by-token')])).expect(200);
      const listed = await t.http().get(`/api/v1/orgs/${org.slug}/dora/deployments?limit=200`).set('Authorization', `Bearer ${read}`).expect(200);
      const reporter = (ref: string) => listed.body.items.find((item: { external_ref: string }) => item.external_ref === ref)?.ingested_by;
      expect(reporter('reported-by-import')).toEqual({ type: 'operator', id: null, name: 'deployments:import' });
      expect(reporter('reported-by-token')).toEqual({ type: 'token', id: writeId, name: expect.any(String) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  /**
   * Derived state does not depend on the order rows arrive in: a history sent partly as single POSTs
   * first, then as two batches in random order (older rows than stored too) while the rest comes in as
   * live single POSTs, ends with the same restores, change sets and counts as the same rows posted one
   * by one in time order — and the deployments' lead-time counts are those of the rows stored.
   */
  it('keeps restores, change sets and counts exact whatever the order (property)', async () => {
    const SHAS = ['aaaaaaa', 'bbbbbbb', 'ccccccc', 'ddddddd', 'eeeeeee'];
    const row = fc.record({
      repo: fc.constantFrom('acme/web', 'acme/api'),
      environment: fc.constantFrom('production', 'staging'),
      minute: fc.integer({ min: 0, max: 600 }),
      success: fc.boolean(),
      rework: fc.boolean(),
      commits: fc.uniqueArray(fc.constantFrom(...SHAS), { maxLength: 3 }),
      arrival: fc.constantFrom('before', 'first batch', 'second batch', 'live'),
    });
    const history = fc.uniqueArray(row, { minLength: 1, maxLength: 24, selector: (r) => `${r.repo}/${r.environment}/${r.minute}` });
    await fc.assert(
      fc.asyncProperty(history, fc.infiniteStream(fc.integer()), async (rows, random) => {
        const bodies = rows.map((r, i) => ({
          repo_full_name: r.repo,
          environment: r.environment,
          deployed_at: new Date(Date.UTC(2026, 4, 1, 0, r.minute)).toISOString(),
          success: r.success,
          is_rework: r.rework,
          external_ref: `prop-${i}`,
          commits: r.commits.map((sha, k) => ({ sha, committed_at: new Date(Date.UTC(2026, 3, 30, k)).toISOString() })),
          // The head commit, whose time gives the deployment's own lead time.
          ...(r.commits.length > 0 ? { commit_sha: r.commits[0], committed_at: new Date(Date.UTC(2026, 3, 30, 0)).toISOString() } : {}),
        }));
        const inOrder = await createOrg(t.app, 'batch-in-order');
        const { secret: inOrderToken } = await createToken(t.app, inOrder);
        for (const body of [...bodies].sort((x, y) => x.deployed_at.localeCompare(y.deployed_at))) {
          await t.http().post(SINGLE).set('Authorization', `Bearer ${inOrderToken}`).send(body).expect(201);
        }
        const mixed = await createOrg(t.app, 'batch-mixed');
        const { secret: mixedToken } = await createToken(t.app, mixed);
        const arriving = (arrival: string) =>
          bodies.filter((_, i) => rows[i]!.arrival === arrival).sort(() => (random.next().value % 2 === 0 ? -1 : 1));
        const post = async (list: object[]) => {
          for (const body of list) await t.http().post(SINGLE).set('Authorization', `Bearer ${mixedToken}`).send(body).expect(201);
        };
        const batch = async (list: object[]) => {
          if (list.length > 0) await send(ndjson(list), mixedToken).expect(200);
        };
        await post(arriving('before'));
        await Promise.all([(async () => (await batch(arriving('first batch')), await batch(arriving('second batch'))))(), post(arriving('live'))]);
        expect(await derivedState(mixed)).toEqual(await derivedState(inOrder));
      }),
      { numRuns: 20, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) },
    );
  });

  /** What every metric is computed from, named by external_ref rather than by id. */
  const derivedState = async (tenant: Tenant) => ({
    deployments: await t.ownerQuery(
      `SELECT external_ref, restored_at, first_shipped FROM dora_deployments WHERE tenant_id = $1 ORDER BY external_ref`,
      [tenant.id],
    ),
    changes: await t.ownerQuery(
      `SELECT c.repo_full_name, c.environment, c.sha, c.committed_at, d.external_ref AS first_deployment, c.lead_bucket
         FROM dora_changes c JOIN dora_deployments d ON d.tenant_id = c.tenant_id AND d.id = c.first_deployment_id
        WHERE c.tenant_id = $1 ORDER BY 1, 2, 3`,
      [tenant.id],
    ),
    counts: await t.ownerQuery(
      `SELECT environment, day, lead_bucket, sum(n)::int AS n FROM dora_change_counts WHERE tenant_id = $1
        GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3`,
      [tenant.id],
    ),
    deploymentCounts: await deploymentCounts(tenant),
  });

  /**
   * The deployments counted by kind as kept, and recounted from the deployments: they must agree. Kinds: the
   * lead-time bucket of a success with commit data, -1 negative, -2 without commit, -3 failure; a rework once
   * more, -4 successful and -5 failed.
   */
  const deploymentCounts = async (tenant: Tenant) => {
    const [kept, recounted] = await Promise.all([
      t.ownerQuery(
        `SELECT environment, day, kind, sum(n)::int AS n FROM dora_deployment_counts WHERE tenant_id = $1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        [tenant.id],
      ),
      t.ownerQuery(
        `SELECT environment, (deployed_at AT TIME ZONE 'UTC')::date AS day, kind, count(*)::int AS n
           FROM (SELECT environment, deployed_at, CASE WHEN NOT success THEN -3 WHEN lead_bucket IS NULL THEN -2 ELSE lead_bucket END AS kind
                   FROM dora_deployments WHERE tenant_id = $1
                 UNION ALL
                 SELECT environment, deployed_at, CASE WHEN success THEN -4 ELSE -5 END FROM dora_deployments WHERE tenant_id = $1 AND is_rework) d
          GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        [tenant.id],
      ),
    ]);
    expect(kept).toEqual(recounted);
    return kept;
  };
});

describe('POST /api/v1/dora/deployments/batch, rate limited', () => {
  let t: TestApp;
  let org: Tenant;

  beforeAll(async () => {
    t = await startTestApp({ INGEST_RATE_LIMIT_PER_MINUTE: '3' });
    org = await createOrg(t.app, 'batch-limited');
  });
  afterAll(() => t.close());

  it('counts lines, admits a batch whole or refuses it whole (429 with Retry-After), and holds a full batch in its burst', async () => {
    const { secret } = await createToken(t.app, org);
    const { secret: other } = await createToken(t.app, org);
    const batch = (token: string, body: string) => t.http().post(BATCH).set('Authorization', `Bearer ${token}`).set('Content-Type', NDJSON).send(body);
    // 10,000 lines pass at once although the limit is 3 a minute; they use the whole burst (bad lines count too).
    const full = await batch(secret, ndjson([deployment('limited-0'), ...Array.from({ length: 9_999 }, () => '{}')])).expect(200);
    expect(full.body.totals).toEqual({ created: 1, deduped: 0, invalid: 9_999 });

    const refused = await batch(secret, ndjson([deployment('limited-1')])).expect(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await t.http().post(SINGLE).set('Authorization', `Bearer ${secret}`).send(deployment('limited-2')).expect(429);
    await batch(other, ndjson([deployment('limited-3')])).expect(200); // another token's bucket is its own
    const [stored] = await t.ownerQuery<{ refs: string[] }>(
      `SELECT array_agg(external_ref ORDER BY external_ref) AS refs FROM dora_deployments WHERE tenant_id = $1`,
      [org.id],
    );
    expect(stored!.refs).toEqual(['limited-0', 'limited-3']);
  });
});
