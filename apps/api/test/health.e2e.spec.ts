import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SERVICE_VERSION } from '../src/common/version.js';
import { createOrg, startTestApp, type TestApp } from './support/test-app.js';

describe('health, readiness and status', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('GET /healthz answers while the process is up', async () => {
    expect((await t.http().get('/healthz').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 when the database answers', async () => {
    expect((await t.http().get('/readyz').expect(200)).body).toEqual({ status: 'ready' });
  });

  it('GET /api/v1/status names the version and the database, and keeps the list of orgs to itself', async () => {
    await createOrg(t.app, 'unlisted');
    const res = await t.http().get('/api/v1/status').expect(200);
    expect(res.body).toEqual({ status: 'ok', version: SERVICE_VERSION, database: process.env.DORA_TEST_DATABASE_KIND });
  });

  it('GET /api/v1/status lists the orgs when the operator made the directory public', async () => {
    const org = await createOrg(t.app, 'listed');
    const open = await startTestApp({ PUBLIC_ORG_DIRECTORY: 'true' });
    try {
      const res = await open.http().get('/api/v1/status').expect(200);
      expect(res.body.orgs).toContainEqual({ slug: org.slug, name: org.name });
    } finally {
      await open.close();
    }
  });

  it('answers an unknown API path with the JSON error body, not the dashboard', async () => {
    const res = await t.http().get('/api/v1/nothing-here').expect(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'No such endpoint' } });
  });

  it('serves the built dashboard for its routes (deep links included)', async () => {
    for (const path of ['/', '/demo/_admin/dora']) {
      const res = await t.http().get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('<div id="root"></div>');
    }
  });
});
