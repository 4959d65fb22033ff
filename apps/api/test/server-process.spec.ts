import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runServerToExit, type ServerProcess, startServer } from './support/processes.js';
import { postgresServerEnv } from './support/test-database.js';
import { uniqueSlug } from './support/test-app.js';
import { until } from './support/until.js';

const deployment = {
  repo_full_name: 'demo/web',
  environment: 'production',
  deployed_at: '2026-05-14T10:00:00Z',
  external_ref: 'process-test-1',
};

async function ingest(server: ServerProcess, token: string, body: object = deployment) {
  return fetch(`${server.url}/api/v1/dora/deployments`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function orgSlugs(server: ServerProcess): Promise<string[]> {
  const status = (await (await fetch(`${server.url}/api/v1/status`)).json()) as { orgs: { slug: string }[] };
  return status.orgs.map((org) => org.slug);
}

/** The embedded default, end to end: the real processes on a data directory of their own. */
describe('the server and the CLI on the embedded database', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let server: ServerProcess;
  let demoToken: string;

  beforeAll(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'dora-process-')), 'data');
    env = { DORA_DATA_DIR: dataDir, PUBLIC_ORG_DIRECTORY: 'true' }; // the status lists the orgs: what the CLI made shows there
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('says which database it uses, and on first start creates the demo org, an admin and a token it prints once', async () => {
    server = await startServer(env);
    const output = server.output();
    expect(output).toContain(`database: embedded PostgreSQL (PGlite) in ${dataDir}`);
    expect(output).toMatch(/admin email: +admin@demo\.local/);
    expect(output).toMatch(/admin password: +\S{20}/);
    demoToken = /ingest token: +(ffp_\w+)/.exec(output)![1]!;
    expect(output).toContain(`curl -sS -X POST ${server.url}/api/v1/dora/deployments`);
    expect(await orgSlugs(server)).toEqual(['demo']);
  });

  it('fills the demo org with 13 months of sample history, which its printed admin sees on signing in', async () => {
    const password = /admin password: +(\S+)/.exec(server.output())![1]!;
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.local', password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shapes are the OpenAPI test's concern
    const get = async (path: string) => (await fetch(`${server.url}/api/v1/orgs/demo/${path}`, { headers: { Cookie: cookie } })).json() as Promise<any>;
    const summary = await get('dora/summary?window=90');
    expect(summary.deployment_frequency.successes).toBeGreaterThan(90);
    expect(summary.lead_time.sample).toBeGreaterThan(50);
    // Change sets: more commits than deployments, the older ones waiting longer.
    expect(summary.lead_time.per_change.sample).toBeGreaterThan(2 * summary.lead_time.sample);
    expect(summary.lead_time.per_change.p50_seconds).toBeGreaterThan(summary.lead_time.p50_seconds);
    // A year of monthly trend, every finished month with deployments (the month now under way may have none yet in its first hours).
    const months: { partial: boolean; deployment_frequency: { successes: number } }[] = (await get('dora/series?interval=month&periods=12')).points;
    const finished = months.filter((point) => !point.partial);
    expect(finished.length).toBeGreaterThanOrEqual(11);
    expect(finished.every((point) => point.deployment_frequency.successes > 0)).toBe(true);
    expect(summary.change_failure_rate.failed).toBeGreaterThan(0);
    expect(summary.time_to_restore.restored).toBeGreaterThan(0);
    expect(summary.rework_rate.rework).toBeGreaterThan(0);
    expect((await get('dora/repos?window=90')).items.length).toBeGreaterThanOrEqual(4);
    expect((await get('dora/environments')).items.map((e: { environment: string }) => e.environment).sort()).toEqual(['production', 'staging']);
    expect(server.output()).toContain(`sign in at ${server.url}/demo/_admin/dora`);
  });

  it('accepts a deployment with the printed token, as the printed curl command sends it', async () => {
    const curlBody = /-d '(\{.*\})'/.exec(server.output())![1]!;
    expect((await ingest(server, demoToken, JSON.parse(curlBody))).status).toBe(201);
    expect((await ingest(server, demoToken)).status).toBe(201);
  });

  it('refuses a second server on the same data directory, and the first one keeps serving', async () => {
    const second = await runServerToExit(env);
    expect(second.code).toBe(1);
    expect(second.output).toMatch(/in use by a running server \(pid \d+\)/);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('lets the CLI work through the running server instead of opening the directory', async () => {
    const created = await runCli(['orgs:create', 'acme', '--name', 'Acme Inc'], env);
    expect(created).toMatchObject({ code: 0, stdout: expect.stringContaining('created org "acme" (Acme Inc)') });
    expect(created.stderr).toMatch(/embedded PostgreSQL of the server running on/);
    expect(await orgSlugs(server)).toEqual(['acme', 'demo']);

    const minted = await runCli(['tokens:create', '--org', 'acme', '--name', 'ci', '--scope', 'findings:write', '--json'], env);
    expect(minted.code).toBe(0);
    const { secret, token } = JSON.parse(minted.stdout) as { secret: string; token: { id: string; org: string; scopes: string[] } };
    expect(token).toMatchObject({ org: 'acme', scopes: ['findings:write'] });
    const res = await ingest(server, secret, { ...deployment, repo_full_name: 'acme/web' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { tenant_id: string }).tenant_id).not.toBe('');

    expect(await runCli(['tokens:revoke', token.id], env)).toMatchObject({ code: 0 });
    // Revoked by another process: the server reads the token's row again within TOKEN_RECHECK_MS.
    const afterRevoke = { ...deployment, repo_full_name: 'acme/api', external_ref: 'after-revoke' };
    await until('the server to refuse the revoked token', async () => ((await ingest(server, secret, afterRevoke)).status === 401 ? true : undefined));
  });

  it('stops cleanly on SIGTERM and releases the directory', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.output()).toContain('stopped');
    expect(existsSync(join(dataDir, 'dora.lock'))).toBe(false);
  });

  it('lets the CLI open the directory itself while no server runs', async () => {
    const added = await runCli(['users:create', 'ops@acme.test', '--org', 'acme', '--role', 'viewer', '--json'], env);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ org: 'acme', role: 'viewer', created: true, password: expect.stringMatching(/^\S{20}$/) });
    expect(added.stderr).toBe('');
    expect(existsSync(join(dataDir, 'dora.lock'))).toBe(false);
  });

  it('keeps everything across a restart, and does not run the first start again', async () => {
    server = await startServer(env);
    expect(server.output()).not.toContain('First start');
    expect(await orgSlugs(server)).toEqual(['acme', 'demo']);
    const replay = await ingest(server, demoToken);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ deduped: true });
  });
});

/** The CLI's answers to bad command lines, on the run's database. */
describe('the operator CLI', () => {
  let env: Record<string, string>;
  let scratch: string | undefined;

  beforeAll(async () => {
    if (process.env.DORA_TEST_DATABASE_KIND === 'postgresql') {
      env = postgresServerEnv();
    } else {
      scratch = await mkdtemp(join(tmpdir(), 'dora-cli-'));
      env = { DORA_DATA_DIR: scratch };
    }
  });
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('creates an org, a user and a token, each printed once', async () => {
    const slug = uniqueSlug('cli');
    expect(await runCli(['orgs:create', slug, '--name', 'CLI test'], env)).toMatchObject({ code: 0 });
    const user = await runCli(['users:create', `admin@${slug}.test`, '--org', slug, '--role', 'admin', '--password', 'a long enough password'], env);
    expect(user).toMatchObject({ code: 0, stdout: expect.stringContaining(`created user admin@${slug}.test`) });
    expect(user.stdout).not.toContain('a long enough password');

    const token = await runCli(['tokens:create', '--org', slug, '--name', 'ci', '--scope', 'findings:write', '--scope', 'dora:read', '--expires-in', '90d'], env);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/token \(shown once\): ffp_[0-9A-Za-z]{40}/);
    expect(token.stdout).toMatch(/with findings:write, dora:read, expires \d{4}-/);
  });

  it('rotates a token, maps a Forgejo owner, and trusts an issuer only when bound to claims or told any subject', async () => {
    const slug = uniqueSlug('cli-trust');
    expect((await runCli(['orgs:create', slug, '--name', 'CLI trust'], env)).code).toBe(0);
    const minted = JSON.parse((await runCli(['tokens:create', '--org', slug, '--name', 'deploy', '--scope', 'findings:write', '--expires-in', '30d', '--json'], env)).stdout) as { token: { id: string } };
    const rotated = await runCli(['tokens:rotate', minted.token.id, '--grace', '2h', '--json'], env);
    expect(rotated.code).toBe(0);
    const answer = JSON.parse(rotated.stdout) as { secret: string; token: { name: string; id: string }; previous: { id: string; replaced_by: string } };
    expect(answer).toMatchObject({ secret: expect.stringMatching(/^ffp_/), token: { name: 'deploy' }, previous: { id: minted.token.id } });
    expect(answer.previous.replaced_by).toBe(answer.token.id);
    expect((await runCli(['tokens:rotate', minted.token.id], env)).stderr).toMatch(/already rotated/);

    expect(await runCli(['forgejo:map', '--org', slug, '--owner', slug.toUpperCase()], env)).toMatchObject({ code: 0, stdout: expect.stringContaining(`owned by "${slug}" now belong to "${slug}"`) });
    expect(await runCli(['forgejo:map', '--org', slug, '--owner', slug], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('already mapped') });
    expect((await runCli(['forgejo:unmap', '--org', slug, '--owner', slug], env)).code).toBe(0);

    const idp = ['idp:add', '--org', slug, '--issuer', 'https://ci.example', '--jwks-uri', 'https://ci.example/jwks', '--audience', 'dora'];
    expect(await runCli(idp, env)).toMatchObject({ code: 1, stderr: expect.stringContaining('allow_any_subject') });
    expect(await runCli([...idp, '--allow-any-subject'], env)).toMatchObject({ code: 0, stdout: expect.stringContaining('now trusts https://ci.example') });
  }, 300_000); // a dozen CLI processes: on a busy machine several seconds each

  it.each([
    ['a bad slug', ['orgs:create', 'Not_Valid!', '--name', 'x'], 1, /not a valid org slug/],
    ['a reserved slug', ['orgs:create', 'healthz', '--name', 'x'], 1, /reserved/],
    ['an unknown org', ['tokens:create', '--org', 'no-such-org', '--name', 'ci', '--scope', 'findings:write'], 1, /No org with the slug "no-such-org"/],
    ['an unknown scope', ['tokens:create', '--org', 'x', '--name', 'ci', '--scope', 'everything'], 2, /unknown scope "everything"/],
    ['a missing option', ['orgs:create', 'some-org'], 2, /--name is required/],
    ['an unknown option', ['orgs:create', 'some-org', '--name', 'x', '--colour', 'red'], 2, /Unknown option '--colour'/],
    ['an unknown command', ['orgs:delete', 'x'], 2, /unknown command "orgs:delete"/],
    ['a bad role', ['users:create', 'a@b.c', '--org', 'x', '--role', 'owner'], 2, /--role must be admin or viewer/],
    ['a bad expiry', ['tokens:create', '--org', 'x', '--name', 'ci', '--scope', 'dora:read', '--expires-in', 'forever'], 2, /--expires-in/],
    ['an unknown token id', ['tokens:revoke', '01a21786-830e-720f-b9d2-c201724675a3'], 1, /No API token with the id/],
    ['a bad grace period', ['tokens:rotate', '01a21786-830e-720f-b9d2-c201724675a3', '--grace', '2w'], 2, /--grace must be hours/],
    ['a bad Forgejo owner', ['forgejo:map', '--org', 'x', '--owner', 'not a login'], 1, /No org with the slug "x"|owner must be a Forgejo/],
  ])('exits non-zero with a clear message on %s', async (_case, args, code, message) => {
    const result = await runCli(args, env);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('demo:seed fills an empty org through the ingest path, and refuses one with deployments unless forced', async () => {
    const slug = uniqueSlug('seed');
    expect((await runCli(['orgs:create', slug, '--name', 'Seeded'], env)).code).toBe(0);
    const seeded = await runCli(['demo:seed', '--org', slug, '--days', '14', '--json'], env);
    expect(seeded.code).toBe(0);
    const { deployments } = JSON.parse(seeded.stdout) as { deployments: number };
    expect(deployments).toBeGreaterThan(14);

    const again = await runCli(['demo:seed', '--org', slug, '--days', '14'], env);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toContain(`"${slug}" already has deployments`);
    expect((await runCli(['demo:seed', '--org', slug, '--days', '14', '--force'], env)).code).toBe(0);

    const reader = JSON.parse((await runCli(['tokens:create', '--org', slug, '--name', 'r', '--scope', 'dora:read', '--json'], env)).stdout) as { secret: string };
    const server = await startServer(env);
    try {
      const get = async (path: string) =>
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shapes are the OpenAPI test's concern
        (await fetch(`${server.url}/api/v1/orgs/${slug}/${path}`, { headers: { Authorization: `Bearer ${reader.secret}` } })).json() as Promise<any>;
      const all = await get('dora/deployments?environment=production&limit=200');
      const staging = await get('dora/deployments?environment=staging&limit=200');
      expect(all.items.length + staging.items.length).toBeGreaterThan(deployments); // two runs' worth
      const audit = await get('audit?action=api.dora.deployments.ingested&limit=5');
      expect(audit.items[0]).toMatchObject({ actor: { type: 'token' }, metadata: { token_name: 'demo seed' }, request_id: expect.stringMatching(/^demo-seed-/) });
      const tokens = await runCli(['tokens:create', '--org', slug, '--name', 'probe', '--scope', 'dora:admin', '--json'], env);
      const admin = (JSON.parse(tokens.stdout) as { secret: string }).secret;
      const list = (await (await fetch(`${server.url}/api/v1/orgs/${slug}/tokens`, { headers: { Authorization: `Bearer ${admin}` } })).json()) as { items: { name: string; revoked_at: string | null }[] };
      expect(list.items.filter((token) => token.name === 'demo seed').map((token) => token.revoked_at !== null)).toEqual([true, true]);
    } finally {
      await server.stop();
    }
  });

  it('demo:seed refuses a bad --days and an unknown org', async () => {
    expect(await runCli(['demo:seed', '--org', 'x', '--days', '0'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('--days must be a whole number from 1 to 730') });
    expect(await runCli(['demo:seed', '--org', 'no-such-org'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('No org with the slug "no-such-org"') });
  });

  it('refuses a duplicate org, and with --json prints only the JSON error', async () => {
    const slug = uniqueSlug('dup');
    expect((await runCli(['orgs:create', slug, '--name', 'First'], env)).code).toBe(0);
    const again = await runCli(['orgs:create', slug, '--name', 'Second', '--json'], env);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toEqual({ error: { code: 'conflict', message: `An org with the slug "${slug}" already exists` } });
  });
});
