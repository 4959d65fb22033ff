import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { until } from './support/until.js';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

const URL = '/api/v1/dora/deployments';

const valid = {
  repo_full_name: 'acme/web',
  environment: 'production',
  deployed_at: '2026-05-14T10:00:00Z',
  commit_sha: 'ABC1234def',
  committed_at: '2026-05-14T09:30:00+02:00',
  success: false,
  is_rework: true,
  external_ref: 'deploy-12345',
};

describe('POST /api/v1/dora/deployments', () => {
  let t: TestApp;
  let orgA: Tenant;
  let orgB: Tenant;
  let writeA: string;
  let writeAId: string;
  let writeB: string;
  let readA: string;

  beforeAll(async () => {
    t = await startTestApp();
    orgA = await createOrg(t.app, 'ingest-a');
    orgB = await createOrg(t.app, 'ingest-b');
    ({ secret: writeA, id: writeAId } = await createToken(t.app, orgA));
    ({ secret: writeB } = await createToken(t.app, orgB));
    ({ secret: readA } = await createToken(t.app, orgA, ['dora:read']));
  });
  afterAll(() => t.close());

  const post = (body: unknown, token: string | undefined = writeA) => {
    const req = t.http().post(URL);
    if (token) req.set('Authorization', `Bearer ${token}`);
    return req.send(body as object);
  };

  const counts = async (tenant: Tenant) => {
    const [row] = await t.ownerQuery<{ deployments: number; events: number }>(
      `SELECT (SELECT count(*) FROM dora_deployments WHERE tenant_id = $1)::int AS deployments,
              (SELECT count(*) FROM audit_events WHERE tenant_id = $1)::int AS events`,
      [tenant.id],
    );
    return row!;
  };

  describe('accepted deployments', () => {
    it('stores the deployment as sent, answers 201, and writes its audit event naming the token', async () => {
      const body = { ...valid, external_ref: 'stored-as-sent' };
      const res = await post(body).set('X-Request-Id', 'req-stored-as-sent').expect(201);

      expect(Object.keys(res.body).sort()).toEqual(['deduped', 'deployed_at', 'environment', 'id', 'repo_full_name', 'tenant_id']);
      expect(res.body).toMatchObject({
        tenant_id: orgA.id,
        repo_full_name: 'acme/web',
        environment: 'production',
        deployed_at: '2026-05-14T10:00:00.000Z',
        deduped: false,
      });
      expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

      const [row] = await t.ownerQuery<Record<string, unknown>>(`SELECT * FROM dora_deployments WHERE id = $1`, [res.body.id]);
      expect(row).toMatchObject({
        tenant_id: orgA.id,
        commit_sha: 'ABC1234def',
        committed_at: new Date('2026-05-14T07:30:00Z'),
        success: false,
        is_rework: true,
        external_ref: 'stored-as-sent',
        source: 'api',
        token_id: writeAId,
      });

      const events = await t.ownerQuery<Record<string, unknown>>(`SELECT * FROM audit_events WHERE subject_id = $1`, [res.body.id]);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        tenant_id: orgA.id,
        action: 'api.dora.deployments.ingested',
        actor_type: 'token',
        actor_id: writeAId,
        subject_type: 'deployment',
        request_id: 'req-stored-as-sent',
        metadata: expect.objectContaining({ token_name: 'test token', external_ref: 'stored-as-sent', success: false }),
      });
      expect(res.headers['x-request-id']).toBe('req-stored-as-sent');
    });

    it('defaults success to true and is_rework to false, and leaves absent or null optional fields empty', async () => {
      const res = await post({ repo_full_name: 'acme/api', environment: 'staging', deployed_at: '2026-05-14T10:00:00.123456+05:30', commit_sha: null }).expect(201);
      const [row] = await t.ownerQuery<Record<string, unknown>>(
        `SELECT success, is_rework, commit_sha, committed_at, external_ref, to_char(deployed_at, 'YYYY-MM-DD"T"HH24:MI:SS.US') AS utc
           FROM dora_deployments WHERE id = $1`,
        [res.body.id],
      );
      expect(row).toEqual({ success: true, is_rework: false, commit_sha: null, committed_at: null, external_ref: null, utc: '2026-05-14T04:30:00.123456' });
    });

    it('accepts deployed_at up to 5 minutes in the future, and any past date', async () => {
      await post({ ...valid, external_ref: undefined, deployed_at: new Date(Date.now() + 4 * 60_000).toISOString() }).expect(201);
      await post({ ...valid, external_ref: undefined, deployed_at: '1999-12-31T23:59:59Z' }).expect(201);
    });
  });

  describe('change sets', () => {
    it('stores the commits a deployment ships (shas lower-case), its head commit among them; a replay writes none', async () => {
      const commits = [
        { sha: 'ABC1234def', committed_at: '2026-05-14T09:30:00+02:00' },
        { sha: '0000000aaa', committed_at: '2026-05-13T09:00:00Z' },
      ];
      const body = { ...valid, success: true, external_ref: 'change-set', commits };
      const res = await post(body).expect(201);
      const stored = () =>
        t.ownerQuery<{ sha: string; committed_at: Date }>(`SELECT sha, committed_at FROM dora_deployment_commits WHERE tenant_id = $1 AND deployment_id = $2 ORDER BY sha`, [orgA.id, res.body.id]);
      expect(await stored()).toEqual([
        { sha: '0000000aaa', committed_at: new Date('2026-05-13T09:00:00Z') },
        { sha: 'abc1234def', committed_at: new Date('2026-05-14T07:30:00Z') },
      ]);
      await post({ ...body, commits: [...commits, { sha: '1111111bbb', committed_at: '2026-05-12T00:00:00Z' }] }).expect(200);
      expect(await stored()).toHaveLength(2);
      const [event] = await t.ownerQuery<{ metadata: Record<string, unknown> }>(`SELECT metadata FROM audit_events WHERE subject_id = $1`, [res.body.id]);
      expect(event!.metadata).toMatchObject({ external_ref: 'change-set', commit_sha: 'ABC1234def', commits: 2 }); // a count: the list is the deployment's
    });

    it('a deployment’s detail lists its commits: lead time, and which deployment first shipped each', async () => {
      const at = (hour: number) => `2026-05-20T${String(hour).padStart(2, '0')}:00:00Z`;
      const commits = [
        { sha: 'aaaa1111', committed_at: at(1) },
        { sha: 'bbbb2222', committed_at: at(2) },
      ];
      const base = { repo_full_name: 'acme/detail', environment: 'production' };
      const failed = await post({ ...base, deployed_at: at(3), success: false, commits, external_ref: 'detail-1' }).expect(201);
      const fixed = await post({ ...base, deployed_at: at(4), commits, external_ref: 'detail-2' }).expect(201);
      const again = await post({ ...base, deployed_at: at(5), commits: [commits[1], { sha: 'cccc3333', committed_at: at(6) }], external_ref: 'detail-3' }).expect(201);
      const detail = async (id: string) =>
        (await t.http().get(`/api/v1/orgs/${orgA.slug}/dora/deployments/${id}`).set('Authorization', `Bearer ${readA}`).expect(200)).body.commits;
      expect(await detail(failed.body.id)).toEqual([
        { sha: 'aaaa1111', committed_at: '2026-05-20T01:00:00.000Z', lead_time_seconds: 7200, first_shipped: 'later' },
        { sha: 'bbbb2222', committed_at: '2026-05-20T02:00:00.000Z', lead_time_seconds: 3600, first_shipped: 'later' },
      ]);
      expect((await detail(fixed.body.id)).map((c: { first_shipped: string }) => c.first_shipped)).toEqual(['here', 'here']);
      expect(await detail(again.body.id)).toEqual([
        { sha: 'bbbb2222', committed_at: '2026-05-20T02:00:00.000Z', lead_time_seconds: 10800, first_shipped: 'earlier' },
        { sha: 'cccc3333', committed_at: '2026-05-20T06:00:00.000Z', lead_time_seconds: -3600, first_shipped: 'here' },
      ]);
    });

    it('takes 1,000 commits of 64-character shas with offsets and nanoseconds in one body', async () => {
      const commits = Array.from({ length: 1000 }, (_, i) => ({ sha: i.toString(16).padStart(64, '0'), committed_at: '2026-05-14T09:30:00.123456789+02:00' }));
      const body = { ...valid, commit_sha: undefined, external_ref: 'thousand-commits', commits };
      expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(64 * 1024);
      const res = await post(body);
      expect([res.status, res.body.error]).toEqual([201, undefined]);
      const [stored] = await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM dora_deployment_commits WHERE tenant_id = $1 AND deployment_id = $2`, [orgA.id, res.body.id]);
      expect(stored!.n).toBe(1000);
    });

    it('without a list, a deployment ships its head commit', async () => {
      const res = await post({ ...valid, success: true, commit_sha: 'DEF4567abc', external_ref: 'head-only' }).expect(201);
      const rows = await t.ownerQuery(`SELECT sha FROM dora_deployment_commits WHERE tenant_id = $1 AND deployment_id = $2`, [orgA.id, res.body.id]);
      expect(rows).toEqual([{ sha: 'def4567abc' }]);
    });
  });

  describe('idempotency on (repo_full_name, environment, external_ref)', () => {
    it('answers a replay 200 with the existing row, even when its other fields differ, and writes nothing', async () => {
      const first = await post({ ...valid, external_ref: 'replayed' }).expect(201);
      const before = await counts(orgA);
      const replay = await post({ ...valid, external_ref: 'replayed', deployed_at: '2026-06-01T00:00:00Z', success: true }).expect(200);
      expect(replay.body).toEqual({ ...first.body, deduped: true });
      expect(await counts(orgA)).toEqual(before);
    });

    it('does not dedupe without an external_ref', async () => {
      const body = { repo_full_name: 'acme/no-ref', environment: 'production', deployed_at: '2026-05-14T10:00:00Z' };
      const a = await post(body).expect(201);
      const b = await post(body).expect(201);
      expect(a.body.id).not.toBe(b.body.id);
    });

    it('treats the same external_ref in another repo, environment or org as another deployment', async () => {
      const ref = { ...valid, external_ref: 'shared-ref' };
      const ids = new Set([
        (await post(ref).expect(201)).body.id,
        (await post({ ...ref, repo_full_name: 'acme/other' }).expect(201)).body.id,
        (await post({ ...ref, environment: 'Production' }).expect(201)).body.id,
        (await post(ref, writeB).expect(201)).body.id,
      ]);
      expect(ids.size).toBe(4);
    });

    it('gives exactly one row and one 201 when 50 identical requests arrive at once', async () => {
      const body = { ...valid, external_ref: 'burst-of-50' };
      const before = await counts(orgA);
      const responses = await Promise.all(Array.from({ length: 50 }, () => post(body)));

      const statuses = responses.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(49);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      expect(await counts(orgA)).toEqual({ deployments: before.deployments + 1, events: before.events + 1 });
    });
  });

  describe('tenant isolation', () => {
    it("writes into the token's own org only", async () => {
      const beforeA = await counts(orgA);
      const res = await post({ ...valid, external_ref: 'org-b-only' }, writeB).expect(201);
      expect(res.body.tenant_id).toBe(orgB.id);
      expect(await counts(orgA)).toEqual(beforeA);
    });
  });

  describe('bad input is refused with a clear error and nothing is written', () => {
    const invalid: [string, Record<string, unknown>, string][] = [
      ['repo_full_name missing', { repo_full_name: undefined }, 'repo_full_name'],
      ['repo_full_name with one segment', { repo_full_name: 'web' }, 'repo_full_name'],
      ['repo_full_name with a space', { repo_full_name: 'acme/my web' }, 'repo_full_name'],
      ['repo_full_name over 255 characters', { repo_full_name: `acme/${'w'.repeat(251)}` }, 'repo_full_name'],
      ['repo_full_name not a string', { repo_full_name: 42 }, 'repo_full_name'],
      ['environment empty', { environment: '' }, 'environment'],
      ['environment over 64 characters', { environment: 'e'.repeat(65) }, 'environment'],
      ['environment with a space', { environment: 'prod eu' }, 'environment'],
      ['deployed_at missing', { deployed_at: undefined }, 'deployed_at'],
      ['deployed_at without a zone', { deployed_at: '2026-05-14T10:00:00' }, 'deployed_at'],
      ['deployed_at on February 30th', { deployed_at: '2026-02-30T10:00:00Z' }, 'deployed_at'],
      ['deployed_at as a date only', { deployed_at: '2026-05-14' }, 'deployed_at'],
      ['deployed_at as epoch seconds', { deployed_at: 1778752800 }, 'deployed_at'],
      ['deployed_at 10 minutes in the future', { deployed_at: new Date(Date.now() + 10 * 60_000).toISOString() }, 'deployed_at'],
      ['commit_sha not hexadecimal', { commit_sha: 'not-a-sha' }, 'commit_sha'],
      ['commit_sha of 6 characters', { commit_sha: 'abc123' }, 'commit_sha'],
      ['commit_sha of 65 characters', { commit_sha: 'a'.repeat(65) }, 'commit_sha'],
      ['committed_at without a time', { committed_at: '2026-05-14' }, 'committed_at'],
      ['success as a string', { success: 'true' }, 'success'],
      ['success as a number', { success: 1 }, 'success'],
      ['success as null', { success: null }, 'success'],
      ['is_rework as a string', { is_rework: 'false' }, 'is_rework'],
      ['external_ref over 255 characters', { external_ref: 'r'.repeat(256) }, 'external_ref'],
      ['external_ref with a newline', { external_ref: 'line\nbreak' }, 'external_ref'],
      ['external_ref empty', { external_ref: '' }, 'external_ref'],
      ['an unknown field', { deployed_by: 'alice' }, 'deployed_by'],
      ['commits not a list', { commits: 'abc1234' }, 'commits'],
      ['a commit without its time', { commits: [{ sha: 'ABC1234def' }] }, 'commits.0.committed_at'],
      ['a commit sha not hexadecimal', { commits: [{ sha: 'ABC1234def', committed_at: '2026-05-14T09:30:00Z' }, { sha: 'nope', committed_at: '2026-05-14T09:30:00Z' }] }, 'commits.1.sha'],
      ['a commit listed twice, in another case', { commits: [{ sha: 'abc1234def', committed_at: '2026-05-14T09:30:00Z' }, { sha: 'ABC1234DEF', committed_at: '2026-05-14T09:30:00Z' }] }, 'commits.1.sha'],
      ['commits without the head commit', { commits: [{ sha: 'fedcba9876', committed_at: '2026-05-14T09:30:00Z' }] }, 'commits'],
      ['over 1,000 commits', { commit_sha: undefined, commits: Array.from({ length: 1001 }, (_, i) => ({ sha: `${i}`.padStart(7, '0'), committed_at: '2026-05-14T09:30:00Z' })) }, 'commits'],
    ];

    it.each(invalid)('400 for %s, naming the field', async (_case, change, field) => {
      const before = await counts(orgA);
      const res = await post({ ...valid, external_ref: `invalid-${field}`, ...change }).expect(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(res.body.error.message).toContain(field);
      expect(await counts(orgA)).toEqual(before);
    });

    it('400 for JSON that is not an object', async () => {
      for (const body of [[valid], []]) {
        const res = await post(body).expect(400);
        expect(res.body.error).toMatchObject({ code: 'validation_failed', message: 'Request body must be a JSON object' });
      }
    });

    it('400 for a body that is not JSON at all', async () => {
      const res = await post(undefined).set('Content-Type', 'application/json').send('{"repo_full_name": ').expect(400);
      expect(res.body.error.code).toBe('invalid_json');
    });

    it('413 for a body over 256 KiB', async () => {
      const before = await counts(orgA);
      const res = await post({ ...valid, external_ref: 'too-large', padding: 'x'.repeat(265_000) }).expect(413);
      expect(res.body.error.code).toBe('payload_too_large');
      expect(await counts(orgA)).toEqual(before);
    });

    it('415 for a body that is not declared as JSON', async () => {
      const res = await t.http().post(URL).set('Authorization', `Bearer ${writeA}`).set('Content-Type', 'text/plain').send(JSON.stringify(valid)).expect(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
      await t.http().post(URL).set('Authorization', `Bearer ${writeA}`).set('Content-Type', 'application/x-www-form-urlencoded').send('a=b').expect(415);
    });
  });

  describe('authentication and authorisation', () => {
    const expectUnauthenticated = async (authorization: string | undefined, message: RegExp) => {
      const req = t.http().post(URL);
      if (authorization) req.set('Authorization', authorization);
      const res = await req.send({ ...valid, external_ref: 'never-written' }).expect(401);
      expect(res.body.error.code).toBe('unauthenticated');
      expect(res.body.error.message).toMatch(message);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="dora"/);
    };

    it('401 without a token, with another scheme, or with an unknown token', async () => {
      await expectUnauthenticated(undefined, /Missing/);
      await expectUnauthenticated(`Basic ${Buffer.from('a:b').toString('base64')}`, /Bearer/);
      await expectUnauthenticated('Bearer not-a-token', /not a valid API token/);
      await expectUnauthenticated(`Bearer ffp_${'A'.repeat(40)}`, /Unknown API token/);
      await expectUnauthenticated(`Bearer ${writeA.slice(0, -1)}${writeA.endsWith('x') ? 'y' : 'x'}`, /Unknown API token/);
    });

    it('401 for a revoked token and for an expired one, saying which', async () => {
      const revoked = await createToken(t.app, orgA);
      await t.ownerQuery(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1`, [revoked.id]);
      await expectUnauthenticated(`Bearer ${revoked.secret}`, /revoked/);

      const expired = await createToken(t.app, orgA, ['findings:write'], new Date(Date.now() + 60_000));
      await t.ownerQuery(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
      await expectUnauthenticated(`Bearer ${expired.secret}`, /expired at/);
    });

    it('a token in use that another process revokes or lets expire stops within the recheck bound', async () => {
      for (const change of [`revoked_at = now()`, `expires_at = now() - interval '1 second'`]) {
        const token = await createToken(t.app, orgA);
        await post({ ...valid, external_ref: `before-${token.id}` }, token.secret).expect(201); // its row is now held by this process
        await t.ownerQuery(`UPDATE api_tokens SET ${change} WHERE id = $1`, [token.id]);
        const refused = await until(`the token (${change}) to be refused`, async () => {
          const res = await post({ ...valid, external_ref: `after-${token.id}` }, token.secret);
          return res.status === 401 ? res : undefined;
        });
        expect(refused.body.error.message).toMatch(/revoked at|expired at/);
      }
    });

    it('403 for a token without the findings:write scope', async () => {
      const before = await counts(orgA);
      const res = await post({ ...valid, external_ref: 'read-only' }, readA).expect(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('findings:write') });
      expect(await counts(orgA)).toEqual(before);
    });

    it('records last_used_at outside the request, at most once a minute', async () => {
      const { id, secret } = await createToken(t.app, orgA);
      await post({ ...valid, external_ref: 'last-used-1' }, secret).expect(201);
      const lastUsed = async () =>
        (await t.ownerQuery<{ last_used_at: Date | null }>(`SELECT last_used_at FROM api_tokens WHERE id = $1`, [id]))[0]!.last_used_at;
      let first: Date | null = null;
      for (let i = 0; i < 50 && first === null; i++) {
        first = await lastUsed();
        if (first === null) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(first).toBeInstanceOf(Date);
      await post({ ...valid, external_ref: 'last-used-2' }, secret).expect(201);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await lastUsed()).toEqual(first);
    });
  });
});

describe('GET /api/v1/dora/deployments/last', () => {
  let t: TestApp;
  let org: Tenant;
  let write: string;

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrg(t.app, 'last');
    ({ secret: write } = await createToken(t.app, org));
  });
  afterAll(() => t.close());

  const last = (query: string, token = write) => t.http().get(`/api/v1/dora/deployments/last?${query}`).set('Authorization', `Bearer ${token}`);
  const report = (fields: object, token = write) =>
    t
      .http()
      .post(URL)
      .set('Authorization', `Bearer ${token}`)
      .send({ repo_full_name: 'acme/mono', environment: 'production', ...fields })
      .expect(201);

  it('answers the commit and time of the latest success of exactly that repo, environment and service, and nothing else', async () => {
    // Sent out of order: the latest by deployed_at wins, not the latest to arrive; failures and other series do not count.
    await report({ deployed_at: '2026-05-14T12:00:00Z', commit_sha: 'ABCDEF12', committed_at: '2026-05-14T11:00:00Z' });
    await report({ deployed_at: '2026-05-14T10:00:00Z', commit_sha: '1111111' });
    await report({ deployed_at: '2026-05-14T13:00:00Z', commit_sha: '2222222', success: false });
    await report({ deployed_at: '2026-05-14T14:00:00Z', commit_sha: '3333333', service: 'checkout' });
    await report({ deployed_at: '2026-05-14T15:00:00Z', commit_sha: '4444444', environment: 'staging' });

    const whole = await last('repo_full_name=acme/mono&environment=production').expect(200);
    expect(whole.body).toEqual({ commit_sha: 'abcdef12', deployed_at: '2026-05-14T12:00:00.000Z' });
    expect((await last('repo_full_name=acme/mono&environment=production&service=checkout').expect(200)).body).toEqual({
      commit_sha: '3333333',
      deployed_at: '2026-05-14T14:00:00.000Z',
    });
    expect((await last('repo_full_name=acme/mono&environment=staging').expect(200)).body.commit_sha).toBe('4444444');
  });

  it('answers 404 where there is none — also for another org’s repo — and refuses bad questions and other tokens', async () => {
    const other = await createOrg(t.app, 'last-other');
    const { secret: otherWrite } = await createToken(t.app, other);
    await report({ deployed_at: '2026-05-14T12:00:00Z', commit_sha: '5555555', repo_full_name: 'other/secret' }, otherWrite);
    const { secret: read } = await createToken(t.app, org, ['dora:read']);

    const missing = await last('repo_full_name=other/secret&environment=production').expect(404);
    expect(missing.body.error).toEqual({ code: 'not_found', message: 'No successful deployment of other/secret in production in this org' });
    await last('repo_full_name=acme/mono&environment=production&service=unknown').expect(404);
    const invalid = await last('environment=production').expect(400);
    expect(invalid.body.error.details).toEqual([{ field: 'repo_full_name', message: expect.any(String) }]);
    expect((await last('repo_full_name=acme/mono&environment=production&extra=1').expect(400)).body.error.details[0].field).toBe('extra');
    expect((await last('repo_full_name=acme/mono&environment=production', read).expect(403)).body.error.code).toBe('forbidden');
    await t.http().get('/api/v1/dora/deployments/last?repo_full_name=acme/mono&environment=production').expect(401);
  });
});

describe('per-token rate limit', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('answers 429 with Retry-After once a token is over its limit, writes nothing, and leaves other tokens alone', async () => {
    t = await startTestApp({ INGEST_RATE_LIMIT_PER_MINUTE: '3' });
    const org = await createOrg(t.app, 'ratelimit');
    const busy = await createToken(t.app, org);
    const quiet = await createToken(t.app, org);
    const send = (secret: string, ref: string) =>
      t.http().post(URL).set('Authorization', `Bearer ${secret}`).send({ ...valid, external_ref: ref });

    // The burst holds a full batch (10,000 deployments): 9,997 lines of one (refused, but counted), then three POSTs.
    const lines = '{}\n'.repeat(9_997);
    await t.http().post(`${URL}/batch`).set('Authorization', `Bearer ${busy.secret}`).set('Content-Type', 'application/x-ndjson').send(lines).expect(200);
    for (const ref of ['r1', 'r2', 'r3']) await send(busy.secret, ref).expect(201);
    const limited = await send(busy.secret, 'r4').expect(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(20);
    await send(quiet.secret, 'q1').expect(201);

    const [row] = await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM dora_deployments WHERE tenant_id = $1 AND external_ref = 'r4'`, [org.id]);
    expect(row!.n).toBe(0);
  });
});
