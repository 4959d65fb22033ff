import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

const HOUR = 3_600_000;

describe('badges: GET /api/v1/orgs/{slug}/dora/badge.svg with an org’s badge key', () => {
  let t: TestApp;
  let org: Tenant;
  let other: Tenant;
  let admin: string;
  let write: string;

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrg(t.app, 'badges');
    other = await createOrg(t.app, 'badges-other');
    ({ secret: admin } = await createToken(t.app, org, ['dora:admin']));
    ({ secret: write } = await createToken(t.app, org));
    const now = Date.now();
    // acme/web: a failure restored 30 minutes later, and a rework; 3 deployments, 2 of them failed or rework.
    for (const body of [
      { deployed_at: new Date(now - 5 * HOUR).toISOString(), success: false },
      { deployed_at: new Date(now - 4.5 * HOUR).toISOString() },
      { deployed_at: new Date(now - 2 * HOUR).toISOString(), is_rework: true },
    ]) {
      await t.http().post('/api/v1/dora/deployments').set('Authorization', `Bearer ${write}`).send({ repo_full_name: 'acme/web', environment: 'production', ...body }).expect(201);
    }
  });
  afterAll(() => t.close());

  const mint = (slug: string, token: string, name = 'README of acme/web') =>
    t.http().post(`/api/v1/orgs/${slug}/badge-keys`).set('Authorization', `Bearer ${token}`).send({ name });
  const badge = (query: string, slug = org.slug) => t.http().get(`/api/v1/orgs/${slug}/dora/badge.svg?${query}`);

  it('is minted by an admin (audited, the key shown once), and shows one metric with its value and band in words', async () => {
    const minted = await mint(org.slug, admin).expect(201);
    expect(minted.body).toEqual({
      key: expect.stringMatching(/^fbk_[0-9A-Za-z]{40}$/),
      badge_key: { id: expect.any(String), name: 'README of acme/web', prefix: minted.body.key.slice(0, 12), created_at: expect.any(String), revoked_at: null },
    });
    const listed = await t.http().get(`/api/v1/orgs/${org.slug}/badge-keys`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(listed.body.items).toEqual([minted.body.badge_key]);
    expect(JSON.stringify(listed.body)).not.toContain(minted.body.key);
    const [event] = await t.ownerQuery<{ action: string }>(`SELECT action FROM audit_events WHERE tenant_id = $1 AND subject_id = $2`, [org.id, minted.body.badge_key.id]);
    expect(event).toEqual({ action: 'badges.key.created' });

    const key = encodeURIComponent(minted.body.key);
    const restore = await badge(`metric=time_to_restore&repo=acme/web&environment=production&key=${key}`).expect(200);
    expect(restore.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(restore.headers['cache-control']).toBe('public, max-age=60');
    const svg = restore.body.toString('utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*role="img" aria-label="acme\/web production time to restore: 30 min · Elite">/);
    expect(svg).toContain('<text x="');
    expect(svg).toContain('fill="#2e7d32"'); // Elite's green, besides the word

    const failures = (await badge(`metric=change_failure_rate&repo=acme/web&key=${key}`).expect(200)).body.toString('utf8');
    expect(failures).toContain('aria-label="acme/web production change failures: 67% · Low"'); // 2 of 3: over 15 %
    const rework = (await badge(`metric=rework_rate&key=${key}`).expect(200)).body.toString('utf8');
    expect(rework).toContain(`aria-label="${org.slug} production rework: 33%"`); // DORA publishes no rework band
    const none = (await badge(`metric=lead_time&repo=acme/web&key=${key}`).expect(200)).body.toString('utf8');
    expect(none).toContain('lead time: no data'); // no commit times reported
  });

  it('answers only a live key of that very org, the same way for an unknown org, and never takes it as a token', async () => {
    const { key, badge_key: item } = (await mint(org.slug, admin, 'revoked soon').expect(201)).body;
    const { secret: otherAdmin } = await createToken(t.app, other, ['dora:admin']);
    const otherKey = (await mint(other.slug, otherAdmin).expect(201)).body.key;
    const refused = { code: 'unauthenticated', message: 'Not a live badge key of this org: an admin of the org mints one (POST /api/v1/orgs/{slug}/badge-keys)' };

    await badge(`metric=deployment_frequency&key=${key}`).expect(200);
    for (const [query, slug] of [
      [`metric=deployment_frequency&key=${otherKey}`, org.slug],
      [`metric=deployment_frequency&key=fbk_${'x'.repeat(40)}`, org.slug],
      [`metric=deployment_frequency&key=${key}`, 'no-such-org'],
    ] as const) {
      expect((await badge(query, slug).expect(401)).body.error).toEqual(refused);
    }
    expect((await badge('metric=deployment_frequency').expect(400)).body.error.details[0].field).toBe('key');
    expect((await badge(`metric=velocity&key=${key}`).expect(400)).body.error.details[0].field).toBe('metric');
    await t.http().get(`/api/v1/orgs/${org.slug}/dora/summary`).set('Authorization', `Bearer ${key}`).expect(401);

    const revoked = await t.http().delete(`/api/v1/orgs/${org.slug}/badge-keys/${item.id}`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(revoked.body.revoked_at).toEqual(expect.any(String));
    await badge(`metric=deployment_frequency&key=${key}`).expect(401); // at once, although the picture is kept
    await t.http().delete(`/api/v1/orgs/${org.slug}/badge-keys/${item.id}`).set('Authorization', `Bearer ${admin}`).expect(409);
    const { secret: reader } = await createToken(t.app, org, ['dora:read']);
    await mint(org.slug, reader).expect(403);
    await mint(org.slug, admin, '').expect(400);
  });

  it('keeps a badge a minute: new deployments show at the next computation', async () => {
    const key = (await mint(org.slug, admin, 'cache').expect(201)).body.key;
    const first = (await badge(`metric=deployment_frequency&repo=acme/api&key=${key}`).expect(200)).body.toString('utf8');
    expect(first).toContain('deploys: 0.0/week');
    await t.http().post('/api/v1/dora/deployments').set('Authorization', `Bearer ${write}`).send({ repo_full_name: 'acme/api', environment: 'production', deployed_at: new Date().toISOString() }).expect(201);
    expect((await badge(`metric=deployment_frequency&repo=acme/api&key=${key}`).expect(200)).body.toString('utf8')).toBe(first);
  });
});
