import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { FakeForgejo, fixture, fixtureHistory, forgejoEnv, forgejoHeaders, payloadFor, sign } from './support/fake-forgejo.js';
import { sample } from './support/prometheus.js';
import { ForgejoOwnersService } from '../src/modules/webhook/forgejo-owners.service.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

const URL = '/api/v1/webhooks/forgejo';

interface DeliveryRow {
  id: string;
  owner: string | null;
  awaiting_owner: boolean;
  status: string;
  attempts: number;
  last_error: string | null;
  tenant_id: string | null;
  deployment_id: string | null;
  event: string;
  payload: unknown;
}

describe('Forgejo webhook', () => {
  const fake = new FakeForgejo();
  let t: TestApp;

  beforeAll(async () => {
    await fake.start();
    t = await startTestApp(forgejoEnv(fake));
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  // As a string: superagent would serialise a Buffer sent as application/json. The fixtures are UTF-8.
  const post = (body: Buffer, headers: Record<string, string>, app = t) => app.http().post(URL).set(headers).send(body.toString('utf8'));
  const scrape = async () => (await t.http().get('/metrics').expect(200)).text;
  const deliver = async (body: Buffer, event = 'release', deliveryId?: string) => {
    const res = await post(body, forgejoHeaders(body, event, deliveryId));
    expect(res.status).toBe(202);
    return res.body.id as string;
  };
  const delivery = async (id: string) => (await t.ownerQuery<DeliveryRow>(`SELECT * FROM webhook_deliveries WHERE id = $1`, [id]))[0];
  /** Waits until the delivery is no longer pending (or, with `status`, has that status). */
  const settled = async (id: string, status?: string): Promise<DeliveryRow> => {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      const row = await delivery(id);
      if (row && (status ? row.status === status : row.status !== 'pending')) return row;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`delivery ${id} did not settle: ${JSON.stringify(await delivery(id))}`);
  };
  const deploymentsOf = (tenant: Tenant) =>
    t.ownerQuery<Record<string, unknown>>(`SELECT * FROM dora_deployments WHERE tenant_id = $1 ORDER BY created_at`, [tenant.id]);
  const storedWith = async (deliveryId: string) =>
    (await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE delivery_id = $1`, [deliveryId]))[0]!.n;
  /** An org whose slug is also the Forgejo owner mapped to it (owners are mapped explicitly). */
  const mappedOrg = async (prefix: string) => {
    const org = await createOrg(t.app, prefix);
    await t.app.get(ForgejoOwnersService).map(org.id, org.slug, { type: 'system', id: 'cli' });
    return org;
  };

  describe('signatures', () => {
    it('accepts the worked example of the fixtures: the exact bytes with their exact headers', async () => {
      const body = fixture('release-published.json');
      const headers = JSON.parse(fixture('release-published.headers.json').toString()) as Record<string, string>;
      expect(body.length).toBe(5414);
      expect(sign(body)).toBe('a868c51ab7dc163cde7946aeb54941a311ff676dda69f3af6bb853b907575c99');
      expect(sign(Buffer.from('{"action":"published"}'))).toBe('5a99babfa974de92955f00468b0c4f1704097b1e799dc929287b0ead75463f7e');
      const sent = Object.fromEntries(Object.entries(headers).filter(([name]) => !['Content-Length', 'Accept-Encoding', 'User-Agent'].includes(name)));

      const first = await post(body, sent);
      expect([200, 202]).toContain(first.status); // 200 if an earlier test or run on this database stored these bytes
      const again = await post(body, sent);
      expect(again.status).toBe(200); // the same delivery (and body) is stored once
      expect(again.body.id).toBe(first.body.id);
      const row = await delivery(first.body.id);
      expect(row).toMatchObject({ event: 'release', payload: JSON.parse(body.toString()) });
      const [stored] = await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE body_sha256 = $1`, [createHash('sha256').update(body).digest('hex')]);
      expect(stored!.n).toBe(1);
    });

    type Headers = Record<string, string>;
    it.each<[string, (headers: Headers, body: Buffer) => Headers]>([
      ['no signature at all', (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([k]) => !/signature/i.test(k)))],
      ['empty signatures, as Forgejo sends without a secret', (h: Record<string, string>) => ({ ...h, 'X-Forgejo-Signature': '', 'X-Gitea-Signature': '', 'X-Hub-Signature-256': 'sha256=' })],
      ['a wrong signature', (h: Record<string, string>) => ({ ...h, 'X-Forgejo-Signature': h['X-Forgejo-Signature']!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) })],
      ['a signature made with another secret', (h: Record<string, string>, body: Buffer) => ({ ...h, 'X-Forgejo-Signature': sign(body, 'another secret') })],
      ['a signature that is not hex', (h: Record<string, string>) => ({ ...h, 'X-Forgejo-Signature': 'z'.repeat(64) })],
    ])('401 and nothing stored for %s', async (_case, change) => {
      const body = payloadFor('release-published.json', 'nobody');
      const headers = change(forgejoHeaders(body, 'release'), body);
      const res = await post(body, headers).expect(401);
      expect(res.body.error.code).toBe('invalid_signature');
      expect(await storedWith(headers['X-Forgejo-Delivery']!)).toBe(0);
    });

    it('401 when the body was changed after signing', async () => {
      const body = payloadFor('release-published.json', 'nobody');
      const headers = forgejoHeaders(body, 'release');
      const tampered = Buffer.from(body.toString().replace('"draft": false', '"draft": true '));
      await post(tampered, headers).expect(401);
      expect(await storedWith(headers['X-Forgejo-Delivery']!)).toBe(0);
    });

    it('accepts a Gitea delivery (no X-Forgejo headers) and a form-encoded one', async () => {
      const org = await mappedOrg('gitea');
      const body = payloadFor('release-published.json', org.slug);
      const deliveryId = randomUUID();
      const gitea = { 'Content-Type': 'application/json', 'X-Gitea-Delivery': deliveryId, 'X-Gitea-Event': 'release', 'X-Gitea-Signature': sign(body) };
      const first = await post(body, gitea).expect(202);
      expect(first.body.status).toBe('pending');

      const form = Buffer.from(`payload=${encodeURIComponent(payloadFor('release-published-prerelease.json', org.slug).toString())}`);
      const formHeaders = {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Forgejo-Delivery': randomUUID(),
        'X-Forgejo-Event': 'release',
        'X-Hub-Signature-256': `sha256=${sign(payloadFor('release-published-prerelease.json', org.slug))}`,
      };
      const res = await post(form, formHeaders).expect(202);
      // Deliveries are processed concurrently, in no set order: both must have settled.
      expect([(await settled(first.body.id)).status, (await settled(res.body.id)).status]).toEqual(['processed', 'processed']);
      expect((await deploymentsOf(org)).map((d) => d.external_ref).sort()).toEqual(['release:118', 'release:123']);
    });

    it('413 for a body over 1 MiB, 400 for a signed body that is not JSON', async () => {
      const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
      expect((await post(big, forgejoHeaders(big, 'release')).expect(413)).body.error.code).toBe('payload_too_large');
      const notJson = Buffer.from('not json');
      expect((await post(notJson, forgejoHeaders(notJson, 'release')).expect(400)).body.error.code).toBe('invalid_json');
    });
  });

  describe('releases and tags become deployments', () => {
    it('a published release: one production deployment at its created_at, on the commit of its tag, with its audit event', async () => {
      const org = await mappedOrg('hooked');
      fake.requests.length = 0;
      const id = await deliver(payloadFor('release-published.json', org.slug));
      const processed = await settled(id);
      expect(processed).toMatchObject({ status: 'processed', tenant_id: org.id, last_error: null, attempts: 1 });

      const [deployment] = await deploymentsOf(org);
      expect(deployment).toMatchObject({
        id: processed.deployment_id,
        repo_full_name: `${org.slug}/webshop`,
        environment: 'production',
        deployed_at: new Date('2025-06-12T12:03:27Z'),
        commit_sha: '4704266ef0d0d2cc1377ad083c0a0f5ef02f02e9',
        committed_at: new Date('2025-06-11T20:42:08Z'),
        success: true,
        is_rework: false,
        external_ref: 'release:118',
        release_tag: 'v1.4.0',
        source: 'forgejo',
        delivery_id: id,
      });
      const events = await t.ownerQuery<Record<string, unknown>>(`SELECT * FROM audit_events WHERE subject_id = $1`, [processed.deployment_id]);
      expect(events).toEqual([expect.objectContaining({ action: 'api.dora.deployments.ingested', actor_type: 'webhook', actor_id: 'forgejo', metadata: expect.objectContaining({ delivery_id: id }) })]);
      // Counted for the summary on its UTC day, in the bucket of its lead time (55,279 s: 1 + ⌊16 · ln 55279⌋).
      const counts = await t.ownerQuery(`SELECT day::text, kind, n FROM dora_deployment_counts WHERE tenant_id = $1`, [org.id]);
      expect(counts).toEqual([{ day: '2025-06-12', kind: 1 + Math.floor(16 * Math.log(55_279)), n: 1 }]);
      // The tag is resolved first, through the commits list (refs may hold "/"), with the token.
      expect(fake.requests[0]).toEqual({ path: expect.stringMatching(/\/commits\?sha=v1\.4\.0&limit=1&stat=false/), authorization: 'token fake-pat' });
    });

    it('matches the mapped owner case-insensitively', async () => {
      const org = await mappedOrg('upper');
      const id = await deliver(payloadFor('release-published.json', org.slug.toUpperCase()));
      expect(await settled(id)).toMatchObject({ status: 'processed', tenant_id: org.id });
    });

    it('a prerelease counts; its branch target with a "/" is never needed once the tag resolves', async () => {
      const org = await mappedOrg('pre');
      const processed = await settled(await deliver(payloadFor('release-published-prerelease.json', org.slug)));
      expect(processed.status).toBe('processed');
      expect((await deploymentsOf(org))[0]).toMatchObject({ external_ref: 'release:123', commit_sha: '16892323b91df63f62efcd1b2b0f526ecae1920f', deployed_at: new Date('2025-06-24T08:02:47Z') }); // 10:02:47+02:00
    });

    it('falls back to target_commitish when the tag cannot be resolved', async () => {
      const org = await mappedOrg('fallback');
      fake.missing.add('v1.5.0-rc.1');
      try {
        await settled(await deliver(payloadFor('release-published-prerelease.json', org.slug)));
      } finally {
        fake.missing.delete('v1.5.0-rc.1');
      }
      expect((await deploymentsOf(org))[0]).toMatchObject({ commit_sha: '16892323b91df63f62efcd1b2b0f526ecae1920f' });
      expect(fake.requests.map((r) => r.path)).toContain(`/api/v1/repos/${org.slug}/webshop/commits?sha=release%2F1.5&limit=1&stat=false&files=false&verification=false`);
    });

    it('a draft is skipped; so are deleted releases, owners mapped to no org and other events', async () => {
      const org = await mappedOrg('skips');
      const cases: [Buffer, string, string][] = [
        [payloadFor('release-published-draft.json', org.slug), 'release', 'a draft release is not a deployment'],
        [payloadFor('release-deleted.json', org.slug), 'release', 'release deleted'],
        [payloadFor('push-tag.json', org.slug), 'push', 'push events are not used'],
        [payloadFor('release-published.json', `unmapped-${org.slug}`), 'release', 'owner not mapped to an org'], // unique: a body seen before (an earlier run on this database) is a replay
      ];
      for (const [body, event, reason] of cases) {
        const res = await post(body, forgejoHeaders(body, event)).expect(202);
        expect(await settled(res.body.id)).toMatchObject({ status: 'skipped', last_error: reason, deployment_id: null });
      }
      expect(await deploymentsOf(org)).toEqual([]);
    });

    it('a release published through "updated" is ingested once, however often it comes back', async () => {
      const org = await mappedOrg('updated');
      const first = await settled(await deliver(payloadFor('release-updated.json', org.slug)));
      const again = await settled(await deliver(payloadFor('release-published.json', org.slug)));
      const edited = Buffer.from(payloadFor('release-updated.json', org.slug).toString().replace('"body": "', '"body": "Edited. '));
      const third = await settled(await deliver(edited));
      expect([first.status, again.status, third.status]).toEqual(['processed', 'processed', 'processed']);
      const deployments = await deploymentsOf(org);
      expect(deployments).toHaveLength(1);
      expect(new Set([first.deployment_id, again.deployment_id, third.deployment_id])).toEqual(new Set([deployments[0]!.id]));
    });

    it('a replay of the same body with a fresh delivery id: 200, the delivery stored before, nothing new stored', async () => {
      const org = await mappedOrg('replay');
      const body = payloadFor('release-published.json', org.slug);
      const id = await deliver(body);
      await settled(id);
      const count = async () => (await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE owner = $1`, [org.slug]))[0]!.n;
      for (let i = 0; i < 5; i++) {
        const replay = await post(body, forgejoHeaders(body, 'release')).expect(200);
        expect(replay.body).toEqual({ id, status: 'processed' });
      }
      expect(await count()).toBe(1);
      expect(await deploymentsOf(org)).toHaveLength(1);
      const [events] = await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = 'api.dora.deployments.ingested'`, [org.id]);
      expect(events!.n).toBe(1);
    });

    it('a release dated more than 5 minutes in the future fails, as on ingest, saying why', async () => {
      const org = await mappedOrg('future');
      const future = new Date(Date.now() + 3_600_000).toISOString();
      const body = Buffer.from(payloadFor('release-published.json', org.slug).toString().replace('"created_at": "2025-06-12T14:03:27+02:00"', `"created_at": "${future}"`));
      expect(body.toString()).toContain(future);
      expect(await settled(await deliver(body))).toMatchObject({ status: 'failed', last_error: expect.stringContaining('more than 5 minutes in the future') });
      expect(await deploymentsOf(org)).toEqual([]);
    });

    it('a pushed v* tag is a deployment at its tag date; its release afterwards is the same deployment', async () => {
      const org = await mappedOrg('tagfirst');
      const tag = await settled(await deliver(payloadFor('create-tag.json', org.slug), 'create'));
      const release = await settled(await deliver(payloadFor('release-published-from-tag.json', org.slug)));
      const deployments = await deploymentsOf(org);
      expect(deployments).toHaveLength(1);
      expect(deployments[0]).toMatchObject({
        external_ref: 'tag:v1.4.2',
        release_tag: 'v1.4.2',
        deployed_at: new Date('2025-06-20T09:38:15Z'), // the annotated tag's date
        commit_sha: 'ff348a25462252bff5c20bf2c7726edd9a748aec', // the commit, not the tag object
        committed_at: new Date('2025-06-20T09:31:02Z'),
      });
      expect(release.deployment_id).toBe(tag.deployment_id);
    });

    it('and the other way round: the release first, then the tag push', async () => {
      const org = await mappedOrg('releasefirst');
      await settled(await deliver(payloadFor('release-published-from-tag.json', org.slug)));
      await settled(await deliver(payloadFor('create-tag.json', org.slug), 'create'));
      const deployments = await deploymentsOf(org);
      expect(deployments.map((d) => d.external_ref)).toEqual(['release:122']);
      expect(deployments[0]!.deployed_at).toEqual(new Date('2025-06-20T09:38:15Z'));
    });
  });

  describe('change sets: a release ships the commits since the previous release', () => {
    const HEAD_141 = '248a1cd0c1fbaaea21e6781670482e477c9b4299';
    const untaggedSha = (label: string) => fixtureHistory().find((c) => c.refs.length === 0 && c.sha === createHash('sha1').update(label).digest('hex'))!.sha;
    /** The change set of a delivery's deployment through the API, oldest commit first. */
    const detailOf = async (org: Tenant, deploymentId: string) => {
      const { secret } = await createToken(t.app, org, ['dora:read']);
      return (await t.http().get(`/api/v1/orgs/${org.slug}/dora/deployments/${deploymentId}`).set('Authorization', `Bearer ${secret}`).expect(200)).body as {
        commits: { sha: string; lead_time_seconds: number; first_shipped: string }[];
        change_set_truncated: boolean;
      };
    };

    it("through Forgejo's comparison with the previous release; the first release ships its head commit; each commit counts once", async () => {
      const org = await mappedOrg('changes');
      fake.requests.length = 0;
      const second = await settled(await deliver(payloadFor('release-published-branch-target.json', org.slug))); // v1.4.1, after v1.4.0
      const first = await settled(await deliver(payloadFor('release-published.json', org.slug))); // v1.4.0, the first release
      expect([first.status, second.status]).toEqual(['processed', 'processed']);

      // v1.4.1 was released at 2025-06-18T14:20:05Z; its commits were authored 4 d 6 h 20 min 5 s, 2 d 6 h 20 min 5 s and 32 min 46 s before.
      const shipped = await detailOf(org, second.deployment_id!);
      expect(shipped.commits).toEqual([
        { sha: untaggedSha('fix checkout rounding'), committed_at: '2025-06-14T08:00:00.000Z', lead_time_seconds: 368_405, first_shipped: 'here' },
        { sha: untaggedSha('faster search'), committed_at: '2025-06-16T08:00:00.000Z', lead_time_seconds: 195_605, first_shipped: 'here' },
        { sha: HEAD_141, committed_at: '2025-06-18T13:47:19.000Z', lead_time_seconds: 1_966, first_shipped: 'here' },
      ]);
      expect(shipped.change_set_truncated).toBe(false);
      expect((await detailOf(org, first.deployment_id!)).commits).toEqual([expect.objectContaining({ sha: '4704266ef0d0d2cc1377ad083c0a0f5ef02f02e9', lead_time_seconds: 55_279 })]);
      const paths = fake.requests.map((r) => r.path);
      expect(paths).toContain(`/api/v1/repos/${org.slug}/webshop/releases?draft=false&page=1&limit=50`);
      expect(paths).toContain(`/api/v1/repos/${org.slug}/webshop/compare/4704266ef0d0d2cc1377ad083c0a0f5ef02f02e9...${HEAD_141}?files=false&verification=false`);

      const { secret } = await createToken(t.app, org, ['dora:read']);
      const summary = (await t.http().get(`/api/v1/orgs/${org.slug}/dora/summary?window=30&as_of=2025-06-30T00:00:00Z`).set('Authorization', `Bearer ${secret}`).expect(200)).body;
      expect(summary.lead_time).toMatchObject({ sample: 2, per_change: expect.objectContaining({ sample: 4, deployments_with_changes: 2 }) });
    });

    it('a prerelease is the previous release of the next one; a draft never is', async () => {
      const org = await mappedOrg('prev');
      fake.releases.push({ id: 124, tag_name: 'v1.5.0-beta', target_commitish: 'main', draft: true, prerelease: false, created_at: '2025-06-22T12:00:00+02:00' });
      try {
        const rc = await settled(await deliver(payloadFor('release-published-prerelease.json', org.slug))); // v1.5.0-rc.1: the previous is v1.4.2 (a release on a tag)
        expect((await detailOf(org, rc.deployment_id!)).commits.map((c) => c.sha)).toEqual([untaggedSha('new basket'), '16892323b91df63f62efcd1b2b0f526ecae1920f']);
      } finally {
        fake.releases = fake.releases.filter((release) => release.id !== 124);
      }
    });

    it('over 1,000 commits: the head commit and the 999 newest others, and the deployment says it was cut', async () => {
      const org = await mappedOrg('huge');
      const history = fixtureHistory();
      const many = Array.from({ length: 1_200 }, (_, i) => ({
        sha: createHash('sha1').update(`bulk ${i}`).digest('hex'),
        authorDate: new Date(Date.parse('2025-06-20T10:00:00Z') + i * 1000).toISOString(),
        refs: [],
      }));
      fake.history = [...history.slice(0, 6), ...many, ...history.slice(6)]; // between v1.4.2 and the commit after it
      try {
        const rc = await settled(await deliver(payloadFor('release-published-prerelease.json', org.slug)));
        const detail = await detailOf(org, rc.deployment_id!);
        expect(detail.change_set_truncated).toBe(true);
        const shas = detail.commits.map((c) => c.sha);
        expect(shas).toHaveLength(1_000);
        expect(shas).toContain('16892323b91df63f62efcd1b2b0f526ecae1920f');
        expect(shas).toContain(untaggedSha('new basket'));
        expect(shas).toContain(many.at(-1)!.sha);
        expect(shas).not.toContain(many[0]!.sha); // the oldest are the ones cut
        expect(shas).toContain(many[202]!.sha); // 1 head + 1 newer + the 998 newest of the bulk (indices 202..1199)
        expect(shas).not.toContain(many[201]!.sha);
      } finally {
        fake.history = fixtureHistory();
      }
    });

    it("is retried like the commit's resolution while Forgejo fails the comparison, then stored whole", async () => {
      const org = await mappedOrg('cmpdown');
      fake.failing = /\/compare\//;
      let row: DeliveryRow | undefined;
      try {
        const id = await deliver(payloadFor('release-published-branch-target.json', org.slug));
        for (let i = 0; i < 200 && !(row && row.attempts >= 2); i++) {
          row = await delivery(id);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(row).toMatchObject({ status: 'pending', last_error: expect.stringMatching(/answered 500 for \/repos\/.*\/compare\//) });
        expect(await deploymentsOf(org)).toEqual([]);
      } finally {
        fake.failing = undefined;
      }
      const processed = await settled(row!.id);
      expect(processed.status).toBe('processed');
      expect((await detailOf(org, processed.deployment_id!)).commits).toHaveLength(3);
    });

    it('a repository without a release list (404) ships its head commit', async () => {
      const org = await mappedOrg('nolist');
      fake.absent = /\/releases$/;
      try {
        const processed = await settled(await deliver(payloadFor('release-published-branch-target.json', org.slug)));
        expect((await detailOf(org, processed.deployment_id!)).commits.map((c) => c.sha)).toEqual([HEAD_141]);
      } finally {
        fake.absent = undefined;
      }
    });

    it('looks for the previous release among the 1,000 newest; an attempt whose calls take too long together is retried', async () => {
      const org = await mappedOrg('paging');
      // 1,000 releases newer than v1.4.1: twenty full pages, none of them its previous release.
      const newer = Array.from({ length: 1_000 }, (_, i) => ({ id: 1_000 + i, tag_name: `v9.${i}`, draft: false, prerelease: false, created_at: '2025-07-01T00:00:00Z' }));
      fake.releases.push(...newer);
      try {
        // Each answer takes 300 ms, under the 500 ms of a call but, over 21 calls, past the attempt's 6 × 500 ms.
        fake.delayMs = 300;
        const id = await deliver(payloadFor('release-published-branch-target.json', org.slug));
        let row: DeliveryRow | undefined;
        for (const deadline = Date.now() + 60_000; Date.now() < deadline && !row?.last_error; ) {
          row = await delivery(id);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(row).toMatchObject({ status: 'pending', last_error: expect.stringContaining('the attempt ran out of time') });
        fake.delayMs = 0;
        const processed = await settled(id);
        expect((await detailOf(org, processed.deployment_id!)).commits.map((c) => c.sha)).toEqual([HEAD_141]);
        const asked = fake.requests.filter((r) => r.path.startsWith(`/api/v1/repos/${org.slug}/`));
        const pages = asked.filter((r) => r.path.includes('/releases?')).map((r) => new URLSearchParams(r.path.split('?')[1]).get('page'));
        expect(new Set(pages)).toEqual(new Set(Array.from({ length: 20 }, (_, i) => String(i + 1))));
        expect(asked.some((r) => r.path.includes('/compare/'))).toBe(false);
      } finally {
        fake.delayMs = 0;
        fake.releases = fake.releases.filter((release) => (release.id as number) < 1_000);
      }
    });

    it("when the previous release's tag is gone, the release ships its head commit", async () => {
      const org = await mappedOrg('tagless');
      fake.missing.add('v1.4.0');
      try {
        const processed = await settled(await deliver(payloadFor('release-published-branch-target.json', org.slug)));
        expect((await detailOf(org, processed.deployment_id!)).commits.map((c) => c.sha)).toEqual([HEAD_141]);
      } finally {
        fake.missing.delete('v1.4.0');
      }
    });
  });

  describe('Forgejo owners: releases land only in the org that owns the repository', () => {
    const owners = (slug: string, token: string) => ({
      list: () => t.http().get(`/api/v1/orgs/${slug}/forgejo-owners`).set('Authorization', `Bearer ${token}`),
      map: (owner: string) => t.http().post(`/api/v1/orgs/${slug}/forgejo-owners`).set('Authorization', `Bearer ${token}`).send({ owner }),
      unmap: (owner: string) => t.http().delete(`/api/v1/orgs/${slug}/forgejo-owners/${owner}`).set('Authorization', `Bearer ${token}`),
    });

    it('an org whose slug equals the owner login gets nothing until it maps the owner; then the kept release is processed', async () => {
      const org = await createOrg(t.app, 'squat');
      const { secret: admin } = await createToken(t.app, org, ['dora:admin', 'dora:read']);
      const id = await deliver(payloadFor('release-published.json', org.slug));
      expect(await settled(id)).toMatchObject({ status: 'skipped', tenant_id: null, last_error: 'owner not mapped to an org', owner: org.slug, awaiting_owner: true });
      expect(await deploymentsOf(org)).toEqual([]);

      expect((await owners(org.slug, admin).map(org.slug.toUpperCase()).expect(201)).body).toEqual({ owner: org.slug, created_at: expect.any(String) });
      expect(await settled(id, 'processed')).toMatchObject({ tenant_id: org.id, awaiting_owner: false });
      expect(await deploymentsOf(org)).toHaveLength(1);
      expect((await owners(org.slug, admin).list().expect(200)).body.items).toEqual([{ owner: org.slug, created_at: expect.any(String) }]);
    });

    it('one owner belongs to one org: a second org mapping it is a 409; unmapping is audited and stops new releases', async () => {
      const first = await createOrg(t.app, 'owner-a');
      const second = await createOrg(t.app, 'owner-b');
      const { secret: firstAdmin } = await createToken(t.app, first, ['dora:admin', 'dora:read']);
      const { secret: secondAdmin } = await createToken(t.app, second, ['dora:admin']);
      const { secret: reader } = await createToken(t.app, first, ['dora:read']);
      const owner = `shared-${first.slug}`;
      await owners(first.slug, firstAdmin).map(owner).expect(201);
      expect((await owners(second.slug, secondAdmin).map(owner).expect(409)).body.error.code).toBe('conflict');
      expect((await owners(first.slug, firstAdmin).map(owner).expect(409)).body.error.code).toBe('conflict');
      await owners(first.slug, reader).list().expect(403);
      await owners(first.slug, reader).map('another').expect(403);
      expect((await owners(first.slug, firstAdmin).map('not a login!').expect(400)).body.error.details).toEqual([expect.objectContaining({ field: 'owner' })]);
      await owners(second.slug, secondAdmin).unmap(owner).expect(404); // not theirs

      const before = await settled(await deliver(payloadFor('release-published.json', owner)));
      expect(before).toMatchObject({ status: 'processed', tenant_id: first.id });
      await owners(first.slug, firstAdmin).unmap(owner).expect(204);
      await owners(first.slug, firstAdmin).unmap(owner).expect(404);
      const after = await settled(await deliver(payloadFor('release-published-prerelease.json', owner)));
      expect(after).toMatchObject({ status: 'skipped', last_error: 'owner not mapped to an org' });
      await owners(second.slug, secondAdmin).map(owner).expect(201); // free again
      expect(await settled(after.id, 'processed')).toMatchObject({ tenant_id: second.id });

      const actions = (await t.ownerQuery<{ action: string; tenant_id: string }>(`SELECT action, tenant_id FROM audit_events WHERE subject_type = 'forgejo_owner' AND subject_id = $1 ORDER BY occurred_at, id`, [owner])).map(
        (e) => [e.action, e.tenant_id],
      );
      expect(actions).toEqual([
        ['forgejo.owner.mapped', first.id],
        ['forgejo.owner.unmapped', first.id],
        ['forgejo.owner.mapped', second.id],
      ]);
    });

    it('with FORGEJO_MAP_OWNER_TO_SLUG=true an unmapped owner login equal to a slug maps to that org (a trusted single-org install)', async () => {
      await t.close(); // its processor, without the setting, must not be the one to claim the delivery
      const legacy = await startTestApp({ ...forgejoEnv(fake), FORGEJO_MAP_OWNER_TO_SLUG: 'true' });
      try {
        const org = await createOrg(legacy.app, 'legacy');
        const body = payloadFor('release-published.json', org.slug);
        const res = await post(body, forgejoHeaders(body, 'release'), legacy).expect(202);
        for (let i = 0; i < 300 && (await legacy.ownerQuery<DeliveryRow>(`SELECT * FROM webhook_deliveries WHERE id = $1`, [res.body.id]))[0]!.status === 'pending'; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect((await legacy.ownerQuery<DeliveryRow>(`SELECT * FROM webhook_deliveries WHERE id = $1`, [res.body.id]))[0]).toMatchObject({ status: 'processed', tenant_id: org.id });
      } finally {
        await legacy.close();
        t = await startTestApp(forgejoEnv(fake));
      }
    });
  });

  describe('when Forgejo cannot answer', () => {
    it.each([
      ['answers 500', async () => void (fake.mode = 'error'), () => void (fake.mode = 'ok'), /answered 500/],
      ['hangs past the timeout', async () => void (fake.mode = 'hang'), () => void (fake.mode = 'ok'), /unreachable \((TimeoutError|AbortError)\)/],
      ['refuses connections', () => fake.stop(), () => fake.start(), /unreachable \(ECONNREFUSED\)/],
    ])('retries with back-off while it %s, and ingests once it is back', async (_case, breakIt, mend, reason) => {
      const org = await mappedOrg('down');
      const before = await scrape();
      await breakIt();
      const id = await deliver(payloadFor('release-published.json', org.slug));
      let row: DeliveryRow | undefined;
      for (let i = 0; i < 200 && !(row && row.attempts >= 2); i++) {
        row = await delivery(id);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(row).toMatchObject({ status: 'pending', last_error: expect.stringMatching(reason) });
      expect(row!.last_error).not.toContain(fake.url.replace('http://', '')); // nor FORGEJO_URL, nor its token
      expect(row!.last_error).not.toContain('fake-pat');
      expect(row!.attempts).toBeGreaterThanOrEqual(2);
      expect(await deploymentsOf(org)).toEqual([]);
      await mend();
      expect(await settled(id)).toMatchObject({ status: 'processed', last_error: null });
      expect(await deploymentsOf(org)).toHaveLength(1);
      const after = await scrape();
      const delta = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
      expect(delta('dora_webhook_deliveries_total', { status: 'received' })).toBe(1);
      expect(delta('dora_webhook_retries_total')).toBe((await delivery(id))!.attempts - 1);
      expect(delta('dora_webhook_deliveries_total', { status: 'processed' })).toBe(1);
      expect(delta('dora_deployments_ingested_total', { source: 'forgejo' })).toBe(1);
    });

    it('fails at once on a 404 for the ref, says why, and an admin can retry it', async () => {
      const org = await mappedOrg('missing');
      const { secret: admin } = await createToken(t.app, org, ['dora:admin']);
      const { secret: reader } = await createToken(t.app, org, ['dora:read']);
      fake.missing.add('v1.4.0').add('4704266ef0d0d2cc1377ad083c0a0f5ef02f02e9');
      const id = await deliver(payloadFor('release-published.json', org.slug));
      const failed = await settled(id);
      expect(failed).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringContaining('v1.4.0, 4704266ef0d0d2cc1377ad083c0a0f5ef02f02e9 (Forgejo answered 404)') });

      const list = (token: string, query = '') => t.http().get(`/api/v1/orgs/${org.slug}/webhooks/deliveries${query}`).set('Authorization', `Bearer ${token}`);
      await list(reader).expect(403);
      const listed = (await list(admin, '?status=failed').expect(200)).body;
      expect(listed.items).toEqual([expect.objectContaining({ id, status: 'failed', attempts: 1, deployment_id: null, last_error: failed.last_error })]);

      fake.missing.clear();
      const retry = (deliveryId: string) => t.http().post(`/api/v1/orgs/${org.slug}/webhooks/deliveries/${deliveryId}/retry`).set('Authorization', `Bearer ${admin}`);
      expect((await retry(id).expect(202)).body).toMatchObject({ id, status: 'pending' });
      expect(await settled(id)).toMatchObject({ status: 'processed' });
      await retry(id).expect(404); // only a failed delivery can be retried
      const [event] = (await t.http().get(`/api/v1/orgs/${org.slug}/audit?action=webhook.delivery.retried`).set('Authorization', `Bearer ${reader}`).expect(200)).body.items;
      expect(event.subject).toEqual({ type: 'webhook_delivery', id });
    });
  });

  describe('several processes', () => {
    it('pending deliveries are processed after a restart', async () => {
      const org = await mappedOrg('restart');
      fake.mode = 'error';
      const first = await startTestApp(forgejoEnv(fake));
      const body = payloadFor('release-published.json', org.slug);
      const res = await post(body, forgejoHeaders(body, 'release'), first).expect(202);
      await first.close();
      await t.close(); // no process is left running
      expect((await delivery(res.body.id).catch(() => undefined))?.status ?? 'pending').toBe('pending');
      fake.mode = 'ok';
      t = await startTestApp(forgejoEnv(fake)); // "restarted": picks it up at start
      expect(await settled(res.body.id)).toMatchObject({ status: 'processed' });
    });

    it('two processors on one database process a burst exactly once', async () => {
      const org = await mappedOrg('burst');
      const second = await startTestApp(forgejoEnv(fake));
      try {
        const ids = await Promise.all(
          Array.from({ length: 20 }, (_, i) => {
            const body = payloadFor('release-published.json', org.slug, `service-${i}`);
            return post(body, forgejoHeaders(body, 'release'), i % 2 ? second : t).then((r) => r.body.id as string);
          }),
        );
        const rows = await Promise.all(ids.map((id) => settled(id)));
        expect(rows.every((row) => row.status === 'processed' && row.attempts === 1)).toBe(true);
        const deployments = await deploymentsOf(org);
        expect(deployments).toHaveLength(20);
        expect(new Set(rows.map((row) => row.deployment_id)).size).toBe(20);
        const [events] = await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = 'api.dora.deployments.ingested'`, [org.id]);
        expect(events!.n).toBe(20);
      } finally {
        await second.close();
      }
    });
  });
});

describe('Forgejo webhook without a secret configured', () => {
  it('answers 503 with a clear message and stores nothing', async () => {
    const t = await startTestApp();
    try {
      const body = fixture('release-published.json');
      const deliveryId = randomUUID();
      const res = await t.http().post(URL).set(forgejoHeaders(body, 'release', deliveryId)).send(body.toString('utf8')).expect(503);
      expect(res.body.error).toMatchObject({ code: 'not_configured', message: expect.stringContaining('FORGEJO_WEBHOOK_SECRET') });
      const [row] = await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE delivery_id = $1`, [deliveryId]);
      expect(row!.n).toBe(0);
    } finally {
      await t.close();
    }
  });
});
