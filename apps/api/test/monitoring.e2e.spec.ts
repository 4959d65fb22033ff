import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOCKER = `${ROOT}docker/`;
const run = promisify(execFile);

/** The series names a text exposition declares or has samples of. */
function seriesOf(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^(?:# (?:HELP|TYPE) )?([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (match && line !== '') names.add(match[1]!);
  }
  return names;
}

interface Panel {
  title: string;
  datasource?: { uid?: string };
  targets?: { expr: string; datasource?: { uid?: string } }[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string | { query: string } }[] };
}

/** The Prometheus profile (docker/prometheus) and the Grafana dashboards (docker/grafana), as far as this machine can run them. */
describe('monitoring: the Prometheus config and the Grafana dashboards', () => {
  let t: TestApp;
  let exposed: Set<string>;
  let promtool: string;

  beforeAll(async () => {
    promtool = (await run(`${ROOT}tools/ensure-promtool.sh`)).stdout.trim();
    t = await startTestApp({ METRICS_TOKEN: 'monitoring-test-token' });
    const org = await createOrg(t.app, 'monitoring');
    const { secret: write } = await createToken(t.app, org);
    const { secret: read } = await createToken(t.app, org, ['dora:read']);
    // A failure restored by a success: every metric of the exposition has a value.
    for (const [hoursAgo, success] of [[3, false], [2, true]] as const) {
      await t
        .http()
        .post('/api/v1/dora/deployments')
        .set('Authorization', `Bearer ${write}`)
        .send({
          repo_full_name: 'acme/web',
          environment: 'production',
          deployed_at: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(),
          commit_sha: 'abcdef1',
          committed_at: new Date(Date.now() - 4 * 3_600_000).toISOString(),
          success,
        })
        .expect(201);
    }
    const numbers = await t.http().get(`/api/v1/orgs/${org.slug}/dora/metrics`).set('Authorization', `Bearer ${read}`).expect(200);
    const service = await t.http().get('/metrics').set('Authorization', 'Bearer monitoring-test-token').expect(200);
    exposed = new Set([...seriesOf(numbers.text), ...seriesOf(service.text)]);
  }, 120_000);
  afterAll(() => t?.close());

  it('has a Prometheus config that promtool accepts, once start.sh has put in the org and the token files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dora-prometheus-'));
    try {
      // What start.sh does in the container, with the token files in a directory of this test.
      const template = await readFile(`${DOCKER}prometheus/prometheus.yml`, 'utf8');
      await writeFile(join(dir, 'metrics_token'), 'a token');
      await writeFile(join(dir, 'dora_read_token'), 'a token');
      const config = join(dir, 'prometheus.yml');
      await writeFile(config, template.replaceAll('__DORA_METRICS_ORG__', 'acme').replaceAll('/prometheus/secrets/', `${dir}/`));
      const { stdout } = await run(promtool, ['check', 'config', config]);
      expect(stdout).toContain('SUCCESS');
      expect(parse(await readFile(config, 'utf8')).scrape_configs.map((job: { metrics_path: string }) => job.metrics_path)).toEqual(['/metrics', '/api/v1/orgs/acme/dora/metrics']);
      // The template itself names the paths start.sh writes, and start.sh refuses what is not a slug.
      const start = await readFile(`${DOCKER}prometheus/start.sh`, 'utf8');
      for (const path of ['/prometheus/secrets/metrics_token', '/prometheus/secrets/dora_read_token']) {
        expect([path, template.includes(path), start.includes(path)]).toEqual([path, true, true]);
      }
      const refused = await run('sh', [`${DOCKER}prometheus/start.sh`], { env: { DORA_METRICS_ORG: 'acme/../x', METRICS_TOKEN: 'x', DORA_METRICS_TOKEN: 'x' } }).catch((error: { code: number; stderr: string }) => error);
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('slug') });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('has dashboards that are valid, take their data source as a variable, and query only series the service exposes', async () => {
    const files = (await readdir(`${DOCKER}grafana/dashboards`)).filter((file) => file.endsWith('.json')).sort();
    expect(files).toEqual(['dora-metrics.json', 'dora-service.json']);
    for (const file of files) {
      const dashboard = JSON.parse(await readFile(`${DOCKER}grafana/dashboards/${file}`, 'utf8')) as Dashboard;
      expect([file, typeof dashboard.uid, typeof dashboard.title, dashboard.schemaVersion > 30]).toEqual([file, 'string', 'string', true]);
      expect(dashboard.templating.list.find((variable) => variable.name === 'ds')).toMatchObject({ type: 'datasource', query: 'prometheus' });
      const queries = [
        ...dashboard.templating.list.filter((variable) => variable.type === 'query').map((variable) => (typeof variable.query === 'string' ? variable.query : variable.query.query)),
        ...dashboard.panels.flatMap((panel) => {
          expect([file, panel.title, panel.datasource?.uid]).toEqual([file, panel.title, '${ds}']);
          expect([file, panel.title, (panel.targets ?? []).length > 0]).toEqual([file, panel.title, true]);
          return (panel.targets ?? []).map((target) => target.expr);
        }),
      ];
      const named = queries.flatMap((query) => query.match(/\bdora_[a-zA-Z0-9_:]*/g) ?? []);
      expect(named.length).toBeGreaterThan(5);
      expect([file, named.filter((name) => !exposed.has(name))]).toEqual([file, []]);
    }
  });

  it('provisions both dashboards and the data source in the compose profile "monitoring", from files that exist', async () => {
    const compose = parse(await readFile(`${DOCKER}compose.yaml`, 'utf8')) as { services: Record<string, { profiles?: string[]; volumes?: string[] }> };
    const monitoring = Object.entries(compose.services).filter(([, service]) => service.profiles?.includes('monitoring'));
    expect(monitoring.map(([name]) => name).sort()).toEqual(['grafana', 'prometheus']);
    for (const [name, service] of monitoring) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./')) expect([name, source, existsSync(join(DOCKER, source))]).toEqual([name, source, true]);
      }
    }
    const provider = parse(await readFile(`${DOCKER}grafana/provisioning/dashboards/dora.yaml`, 'utf8'));
    expect(provider.providers[0].options.path).toBe('/var/lib/grafana/dashboards');
    expect(compose.services.grafana!.volumes).toContain('./grafana/dashboards:/var/lib/grafana/dashboards:ro');
    const datasource = parse(await readFile(`${DOCKER}grafana/provisioning/datasources/prometheus.yaml`, 'utf8'));
    expect(datasource.datasources[0]).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
  });
});
