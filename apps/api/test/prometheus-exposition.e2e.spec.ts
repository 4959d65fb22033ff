import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const HOUR = 3_600_000;

/** The samples of a text exposition by series and labels as written: `name{a="1",b="2"}` → value. */
function samples(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    found.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return found;
}

/** `promtool check metrics` on a scrape: its exit code and what it said. */
async function promtoolCheck(text: string): Promise<{ code: number | null; output: string }> {
  const { stdout } = await promisify(execFile)(`${ROOT}tools/ensure-promtool.sh`);
  return new Promise((resolve) => {
    const child = spawn(stdout.trim(), ['check', 'metrics']);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

describe('GET /api/v1/orgs/{slug}/dora/metrics (Prometheus)', () => {
  let t: TestApp;
  let org: Tenant;
  let read: string;
  let admin: string;
  let write: string;

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrg(t.app, 'prometheus');
    ({ secret: read } = await createToken(t.app, org, ['dora:read']));
    ({ secret: admin } = await createToken(t.app, org, ['dora:admin']));
    ({ secret: write } = await createToken(t.app, org));
    await t.http().post(`/api/v1/orgs/${org.slug}/teams`).set('Authorization', `Bearer ${admin}`).send({ slug: 'payments', name: 'Payments' }).expect(201);
    await t
      .http()
      .put(`/api/v1/orgs/${org.slug}/teams/rules`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ rules: [{ team: 'payments', repo: 'acme/shop', service: 'checkout' }] })
      .expect(200);
    const now = Date.now();
    const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR).toISOString();
    const reports = [
      // acme/web: a failure restored half an hour later, two successes (one rework); head commits 2 h and 4 h before them.
      { repo_full_name: 'acme/web', deployed_at: at(49.5), success: false, external_ref: 'web-1' },
      { repo_full_name: 'acme/web', deployed_at: at(49), commit_sha: 'aaaaaaa', committed_at: at(51), external_ref: 'web-2' },
      { repo_full_name: 'acme/web', deployed_at: at(10), commit_sha: 'bbbbbbb', committed_at: at(14), external_ref: 'web-3', is_rework: true },
      // acme/shop's checkout, owned by payments by the org's rules: one success.
      { repo_full_name: 'acme/shop', service: 'checkout', deployed_at: at(5), external_ref: 'shop-1' },
      { repo_full_name: 'acme/web', environment: 'staging', deployed_at: at(3), external_ref: 'web-staging-1' },
    ];
    for (const body of reports) {
      await t.http().post('/api/v1/dora/deployments').set('Authorization', `Bearer ${write}`).send({ environment: 'production', ...body }).expect(201);
    }
  });
  afterAll(() => t.close());

  const scrape = (token = read) => t.http().get(`/api/v1/orgs/${org.slug}/dora/metrics`).set('Authorization', `Bearer ${token}`);

  it("exposes each environment's and each (repo, service)'s five metrics, samples and bands as gauges", async () => {
    const res = await scrape().expect(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const found = samples(res.text);
    const web = 'environment="production",repo="acme/web",service="",team=""';
    const production = 'environment="production"';

    expect(found.get('dora_window_seconds')).toBe(30 * 86_400);
    expect(found.get(`dora_deployment_frequency_per_day{${web}}`)).toBeCloseTo(2 / 30, 12);
    expect(found.get(`dora_deployment_frequency_samples{${web}}`)).toBe(2);
    expect(found.get(`dora_change_failure_ratio{${web}}`)).toBeCloseTo(2 / 3, 12); // the failure and the rework
    expect(found.get(`dora_change_failure_samples{${web}}`)).toBe(3);
    expect(found.get(`dora_rework_ratio{${web}}`)).toBeCloseTo(1 / 3, 12);
    expect(found.get(`dora_time_to_restore_seconds{${web}}`)).toBe(1800);
    expect(found.get(`dora_time_to_restore_samples{${web}}`)).toBe(1);
    expect(found.get(`dora_lead_time_seconds_count{${web},basis="deployment"}`)).toBe(2);
    expect(found.get(`dora_lead_time_seconds{${web},basis="deployment",quantile="0.5"}`)).toBe(3 * 3600); // the median of 2 h and 4 h
    // Elite: restored in less than an hour.
    expect(found.get(`dora_time_to_restore_band{${web}}`)).toBe(4);

    const checkout = 'environment="production",repo="acme/shop",service="checkout",team="payments"';
    expect(found.get(`dora_deployment_frequency_samples{${checkout}}`)).toBe(1);
    expect(found.has(`dora_time_to_restore_seconds{${checkout}}`)).toBe(false); // no failure: no sample, not NaN
    expect(found.get(`dora_time_to_restore_band{${checkout}}`)).toBe(0);

    // The whole environment: every repo's deployments together.
    expect(found.get(`dora_deployment_frequency_samples{${production}}`)).toBe(3);
    expect(found.get(`dora_change_failure_ratio{${production}}`)).toBeCloseTo(2 / 4, 12);
    expect(found.get('dora_deployment_frequency_samples{environment="staging"}')).toBe(1);
    expect(found.get('dora_deployment_frequency_samples{environment="staging",repo="acme/web",service="",team=""}')).toBe(1);
  });

  it('passes promtool check metrics', async () => {
    const res = await scrape().expect(200);
    const { code, output } = await promtoolCheck(res.text);
    expect({ code, output }).toEqual({ code: 0, output: '' });
  }, 120_000); // the first run fetches promtool

  it('computes an org once a minute whatever the scrapers, and again at once after a settings change', async () => {
    const computed = async () => Number(/^dora_org_expositions_computed_total (\d+)$/m.exec((await t.http().get('/metrics').expect(200)).text)![1]);
    const first = (await scrape().expect(200)).text;
    const before = await computed();
    await t
      .http()
      .post('/api/v1/dora/deployments')
      .set('Authorization', `Bearer ${write}`)
      .send({ repo_full_name: 'acme/new', environment: 'production', deployed_at: new Date().toISOString() })
      .expect(201);
    const again = await Promise.all([scrape(), scrape(), scrape()]);
    expect(again.map((res) => res.text)).toEqual([first, first, first]);
    expect(await computed()).toBe(before);

    await t.http().put(`/api/v1/orgs/${org.slug}/dora/settings`).set('Authorization', `Bearer ${admin}`).send({ window_days: 7 }).expect(200);
    const changed = samples((await scrape().expect(200)).text);
    expect(changed.get('dora_window_seconds')).toBe(7 * 86_400);
    expect(changed.get('dora_deployment_frequency_samples{environment="production",repo="acme/new",service="",team=""}')).toBe(1);
    expect(await computed()).toBe(before + 1);
  });
});
