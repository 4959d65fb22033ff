import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Tenant } from '../src/modules/tenancy/tenants.repository.js';
import { createOrg, createToken, startTestApp, type TestApp } from './support/test-app.js';
import { until } from './support/until.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A free port of this machine's loopback, closed again. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The reporter as a CI runs it: from the tarball `npm pack` makes, installed with `npm install -g`, in a
 * git checkout, with each CI's environment variables, against the real server.
 */
describe('dora-report, the CI reporter', () => {
  let t: TestApp;
  let org: Tenant;
  let token: string;
  let dir: string;
  let bin: string;
  let checkout: string;
  let url: string;
  const commits: string[] = [];

  const git = (args: string[], env: Record<string, string> = {}) => run('git', args, { cwd: checkout, env: { ...process.env, ...env } }).then(({ stdout }) => stdout.trim());

  beforeAll(async () => {
    t = await startTestApp({ JWKS_ALLOWED_HOSTS: '127.0.0.1' }); // the fake CI identity provider below is on loopback
    org = await createOrg(t.app, 'reporter');
    ({ secret: token } = await createToken(t.app, org));
    const server = t.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

    dir = await mkdtemp(join(tmpdir(), 'dora-report-'));
    await run('npm', ['pack', `${ROOT}apps/reporter`, '--pack-destination', dir, '--silent']);
    const [tarball] = (await readdir(dir)).filter((file) => /^dora-report-.*\.tgz$/.test(file));
    await run('npm', ['install', '-g', '--prefix', join(dir, 'global'), '--no-audit', '--no-fund', '--offline', join(dir, tarball!)]);
    bin = join(dir, 'global', 'bin', 'dora-report');

    // Four commits, at times with an offset (+02:00), as a real history has.
    checkout = join(dir, 'checkout');
    await run('git', ['init', '-q', '-b', 'main', checkout]);
    for (const [i, time] of ['2026-05-14T09:00:00+02:00', '2026-05-14T10:00:00+02:00', '2026-05-14T11:00:00+02:00', '2026-05-14T12:30:00+02:00'].entries()) {
      await writeFile(join(checkout, 'file.txt'), `change ${i}\n`);
      await git(['add', 'file.txt']);
      const dates = { GIT_AUTHOR_DATE: time, GIT_COMMITTER_DATE: time };
      await git(['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', `change ${i}`], dates);
      commits.push(await git(['rev-parse', 'HEAD']));
    }
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs the installed reporter in the checkout with only these variables (and PATH, HOME); `stderr()` is what it said so far. */
  const report = (args: string[], env: Record<string, string>, command = [bin]): Promise<Finished> & { stderr: () => string } => {
    const child = spawn(command[0]!, [...command.slice(1), ...args], { cwd: checkout, env: { PATH: process.env.PATH!, HOME: dir, ...env } });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const finished = new Promise<Finished>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
    return Object.assign(finished, { stderr: () => stderr });
  };
  const stored = (ref: string) =>
    t.ownerQuery<{ repo_full_name: string; environment: string; service: string; commit_sha: string | null; committed_at: Date | null; success: boolean; commits: string[] }>(
      `SELECT d.repo_full_name, d.environment, d.service, d.commit_sha, d.committed_at, d.success,
              coalesce((SELECT array_agg(c.sha ORDER BY c.sha) FROM dora_deployment_commits c WHERE c.tenant_id = d.tenant_id AND c.deployment_id = d.id), '{}') AS commits
         FROM dora_deployments d WHERE d.tenant_id = $1 AND d.external_ref = $2`,
      [org.id, ref],
    );
  const github = (run: string, sha: string) => ({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: sha, GITHUB_RUN_ID: run, GITHUB_RUN_ATTEMPT: '1', DORA_TOKEN: token });

  it('reports a GitHub Actions deployment with its commit time, once however often the job is retried, and the next one with the commits since', async () => {
    const first = await report(['--url', url, '--environment', 'production'], github('100', commits[1]!));
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(new RegExp(`^dora-report: reported the successful deployment of acme/shop to production at ${commits[1]!.slice(0, 8)} \\(.+, github:100:1\\)\\n$`));
    expect(await stored('github:100:1')).toEqual([
      { repo_full_name: 'acme/shop', environment: 'production', service: '', commit_sha: commits[1], committed_at: new Date('2026-05-14T08:00:00Z'), success: true, commits: [commits[1]] },
    ]);

    const retried = await report(['--url', url, '--environment', 'production'], github('100', commits[1]!));
    expect(retried.stdout).toMatch(/^dora-report: already reported the successful deployment of acme\/shop/);
    expect(await stored('github:100:1')).toHaveLength(1);

    // The next run: the service's last successful deployment (commits[1]) is where its change set starts.
    const next = await report(['--url', url, '--environment', 'production'], github('101', commits[3]!));
    expect(next.stdout).toContain(`2 commits since ${commits[1]!.slice(0, 8)}`);
    expect((await stored('github:101:1'))[0]!.commits).toEqual([commits[2], commits[3]].sort());
  });

  it('reads Forgejo Actions, GitLab CI, Woodpecker, Jenkins and an Argo CD hook from their own variables', async () => {
    const sha = commits[2]!;
    const cases: [string, Record<string, string>, string, object][] = [
      ['forgejo', { FORGEJO_ACTIONS: 'true', GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/forge', GITHUB_SHA: sha, GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '2' }, 'forgejo:7:2', { repo_full_name: 'acme/forge', success: true }],
      ['gitlab', { GITLAB_CI: 'true', CI_PROJECT_PATH: 'group/sub/app', CI_COMMIT_SHA: sha, CI_PIPELINE_ID: '31', CI_JOB_NAME: 'deploy', CI_JOB_STATUS: 'failed' }, 'gitlab:31:deploy', { repo_full_name: 'group/sub/app', success: false }],
      ['woodpecker', { CI: 'woodpecker', CI_REPO: 'acme/wood', CI_COMMIT_SHA: sha, CI_PIPELINE_NUMBER: '12', CI_WORKFLOW_NAME: 'release', CI_PIPELINE_STATUS: 'success' }, 'woodpecker:12:release', { repo_full_name: 'acme/wood', success: true }],
      ['jenkins', { JENKINS_URL: 'https://jenkins.example.com/', GIT_URL: 'https://git.example.com/acme/legacy.git', GIT_COMMIT: sha, BUILD_TAG: 'jenkins-legacy-42' }, 'jenkins:jenkins-legacy-42', { repo_full_name: 'acme/legacy', success: true }],
      ['argocd', { ARGOCD_APP_NAME: 'shop', ARGOCD_APP_REVISION: sha, ARGOCD_APP_SOURCE_REPO_URL: 'git@github.com:acme/gitops.git' }, `argocd:shop:${sha}`, { repo_full_name: 'acme/gitops', success: true }],
    ];
    for (const [name, env, ref, expected] of cases) {
      const done = await report(['--url', url, '--environment', 'production'], { ...env, DORA_TOKEN: token });
      expect([name, done.code, done.stderr]).toEqual([name, 0, '']);
      expect([name, await stored(ref)]).toEqual([name, [expect.objectContaining({ ...expected, commit_sha: sha, committed_at: new Date('2026-05-14T09:00:00Z') })]]);
    }
  });

  it('reports each service a monorepo run deploys, and takes every flag also as a DORA_ variable', async () => {
    const env = { ...github('200', commits[3]!), DORA_URL: url, DORA_ENVIRONMENT: 'staging', DORA_REWORK: 'true' };
    for (const service of ['checkout', 'cart']) expect((await report(['--service', service, '--since', 'none'], env)).code).toBe(0);
    expect(await stored('github:200:1:checkout')).toEqual([expect.objectContaining({ service: 'checkout', environment: 'staging', commits: [commits[3]] })]);
    expect(await stored('github:200:1:cart')).toEqual([expect.objectContaining({ service: 'cart' })]);
    const [row] = await t.ownerQuery<{ is_rework: boolean }>(`SELECT is_rework FROM dora_deployments WHERE tenant_id = $1 AND external_ref = 'github:200:1:cart'`, [org.id]);
    expect(row!.is_rework).toBe(true);
  });

  it('keeps trying while the service is down and reports once it is up', async () => {
    const port = await freePort();
    const pending = report(['--url', `http://127.0.0.1:${port}`, '--environment', 'production', '--timeout', '120'], github('300', commits[3]!));
    await until('the reporter to retry', async () => (/trying again/.test(pending.stderr()) ? true : undefined));
    // The service comes up on that port: a second server of the same app.
    const up = (t.app.getHttpAdapter().getInstance() as { listen: (port: number, host: string) => Server }).listen(port, '127.0.0.1');
    try {
      const done = await pending;
      expect(done).toMatchObject({ code: 0 });
      expect(done.stderr).toMatch(/ECONNREFUSED; trying again in/);
      expect(done.stdout).toMatch(/^dora-report: reported the successful deployment of acme\/shop/);
      expect(await stored('github:300:1')).toHaveLength(1);
    } finally {
      await new Promise((resolve) => up.close(resolve));
    }
  });

  it('waits as long as a 429 says (Retry-After) before trying again', async () => {
    let posts = 0;
    const busy = createHttpServer((req, res) => {
      if (req.url!.startsWith('/api/v1/dora/deployments/last')) return void res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":{"code":"not_found","message":"none"}}');
      if (++posts === 1) return void res.writeHead(429, { 'Retry-After': '2', 'Content-Type': 'application/json' }).end('{"error":{"code":"rate_limited","message":"Too many deployments"}}');
      res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"id":"the-id","deduped":false}');
    });
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const done = await report(['--url', `http://127.0.0.1:${(busy.address() as { port: number }).port}`, '--environment', 'production'], github('600', commits[3]!));
      expect(done.stderr).toBe('dora-report: 429 Too many deployments; trying again in 2.0 s\n');
      expect(done.stdout).toMatch(/^dora-report: reported .*\(the-id, github:600:1\)\n$/);
      expect(posts).toBe(2);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('does not fail the job when the service stays down, unless --strict; and refuses bad input plainly', async () => {
    const port = await freePort();
    const args = ['--url', `http://127.0.0.1:${port}`, '--environment', 'production', '--timeout', '2'];
    const lenient = await report(args, github('400', commits[3]!));
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(/dora-report: the deployment was not reported: the service did not answer in time \(ECONNREFUSED\) \(the job goes on; --strict fails it\)\n$/);
    expect((await report([...args, '--strict'], github('400', commits[3]!))).code).toBe(1);

    const refused = await report(['--url', url, '--environment', 'not an environment!', '--strict'], github('401', commits[3]!));
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/the service refused the report: 400 Invalid request: environment/) });
    const noToken = await report(['--url', url, '--environment', 'production'], { ...github('402', commits[3]!), DORA_TOKEN: '' });
    expect(noToken.stderr).toMatch(/no token: set DORA_TOKEN, or --org/);
    const unknown = await report(['--url', url, '--bogus'], {});
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--bogus'") });
  });

  it("exchanges the CI's OIDC token for one of --org when there is no DORA_TOKEN (Forgejo/GitHub Actions, GitLab)", async () => {
    // A CI's identity provider: its keys published, and the Actions endpoint that hands a job its token.
    const keys = await generateKeyPair('ES256');
    let requestedAudience: string | null = null;
    const ci = createHttpServer(async (req, res) => {
      const at = new URL(req.url!, 'http://ci');
      if (at.pathname === '/jwks') return void res.end(JSON.stringify({ keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] }));
      if (req.headers.authorization !== 'bearer the-request-token') return void res.writeHead(401).end();
      requestedAudience = at.searchParams.get('audience');
      res.end(JSON.stringify({ value: await sign(requestedAudience!) }));
    });
    await new Promise<void>((resolve) => ci.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(ci.address() as { port: number }).port}`;
    const sign = (audience: string) =>
      new SignJWT({ repository_owner: 'acme', sub: 'repo:acme/shop:ref:refs/heads/main' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(keys.privateKey);
    try {
      const { secret: admin } = await createToken(t.app, org, ['dora:admin']);
      await t
        .http()
        .post(`/api/v1/orgs/${org.slug}/identity-providers`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ issuer, jwks_uri: `${issuer}/jwks`, audience: 'dora', required_claims: { repository_owner: 'acme' } })
        .expect(201);
      const oidc = { ...github('500', commits[3]!), DORA_TOKEN: '', ACTIONS_ID_TOKEN_REQUEST_URL: `${issuer}/token?run=500`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'the-request-token' };
      const done = await report(['--url', url, '--environment', 'production', '--org', org.slug], oidc);
      expect(done).toMatchObject({ code: 0, stderr: '' });
      expect(requestedAudience).toBe('dora');
      const gitlab = { GITLAB_CI: 'true', CI_PROJECT_PATH: 'acme/shop', CI_COMMIT_SHA: commits[3]!, CI_PIPELINE_ID: '77', CI_JOB_NAME: 'deploy', DORA_ID_TOKEN: await sign('dora') };
      expect(await report(['--url', url, '--environment', 'production', '--org', org.slug], gitlab)).toMatchObject({ code: 0, stderr: '' });
      const tokens = await t.ownerQuery<{ ref: string; origin: string }>(
        `SELECT d.external_ref AS ref, k.origin FROM dora_deployments d JOIN api_tokens k ON k.tenant_id = d.tenant_id AND k.id = d.token_id
          WHERE d.tenant_id = $1 AND d.external_ref IN ('github:500:1', 'gitlab:77:deploy') ORDER BY 1`,
        [org.id],
      );
      expect(tokens).toEqual([
        { ref: 'github:500:1', origin: 'exchanged' },
        { ref: 'gitlab:77:deploy', origin: 'exchanged' },
      ]);
      const refused = await report(['--url', url, '--environment', 'production', '--org', 'not-this-org', '--strict'], { ...gitlab, CI_PIPELINE_ID: '78' });
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining("the service refused the CI's OIDC token") });
    } finally {
      await new Promise((resolve) => ci.close(resolve));
    }
  });

  it('is served by the service as one file that runs on its own (GET /reporter.mjs)', async () => {
    const res = await t.http().get('/reporter.mjs').expect(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.text).toBe(await readFile(`${ROOT}apps/reporter/dora-report.mjs`, 'utf8'));
    const file = join(dir, 'reporter.mjs');
    await writeFile(file, res.text);
    const help = await report(['--help'], {}, [process.execPath, file]);
    expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining('dora-report --url https://dora.example.com --environment production') });
    const installed = await report(['--help'], {});
    expect(installed.stdout).toBe(help.stdout);
  });
});
