#!/usr/bin/env node
// @ts-check
// dora-report: reports one deployment to a DORA service from the CI job that made it. One file, Node 20
// and git only: installed with npm (`npm install -g dora-report`) or fetched from the service itself
// (`curl -fsSLO https://dora.example.com/reporter.mjs && node reporter.mjs …`). `dora-report --help`.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const VERSION = '1.0.0';
const MAX_COMMITS = 1000;

const HELP = `dora-report ${VERSION}: report a deployment to a DORA service.

  dora-report --url https://dora.example.com --environment production [options]

Options (each also a DORA_* variable: --service is DORA_SERVICE; a flag wins over its variable):
  --url <url>             the service (DORA_URL)
  --environment <name>    where it was deployed (DORA_ENVIRONMENT)
  --success true|false|auto
                          the deployment's outcome; auto (the default): the CI's job status where
                          it has one (GitLab CI_JOB_STATUS, Woodpecker CI_PIPELINE_STATUS), else true
  --rework                the deployment fixes an earlier one (DORA_REWORK=true)
  --service <name>        the part of a monorepo deployed
  --team <slug>           the team that owns it, whatever the org's rules say
  --repo <owner/name>     the repository (default: from the CI)
  --commit <sha>          the deployed commit (default: from the CI)
  --since <sha>           the previously deployed commit: the change set is the commits after it
                          (default: the service's last successful deployment of this repo,
                          environment and service); --since none sends the head commit alone
  --external-ref <ref>    the idempotency key (default: the CI's run id and attempt, and the service)
  --org <slug>            with --org and no DORA_TOKEN, the CI's OIDC token is exchanged for one
                          (Forgejo/GitHub Actions ACTIONS_ID_TOKEN_REQUEST_*, GitLab DORA_ID_TOKEN)
  --audience <aud>        the audience of the CI's OIDC token (default: dora)
  --timeout <seconds>     how long to keep retrying (default 60)
  --strict                exit 1 when the deployment could not be reported (default: exit 0,
                          so that a deploy never fails because its report did)
  --help, --version

The token: DORA_TOKEN (an API token with findings:write), or token exchange with --org.
CIs read: Forgejo Actions, GitHub Actions, GitLab CI, Woodpecker, Jenkins, an Argo CD PostSync hook.`;

/** Why a report cannot be made: said on one line, never a stack trace. */
class ReportError extends Error {}

/** @typedef {{ name: string, repo?: string, commit?: string, run?: string, success?: boolean, oidc?: () => Promise<string | undefined> }} Ci */

/** What the CI the reporter runs in says about this job. */
function detectCi(env = process.env) {
  /** @type {(value: string | undefined) => string | undefined} */
  const repoOfUrl = (value) => value?.replace(/\.git$/, '').match(/[:/]([^/:]+\/[^/]+?)\/?$/)?.[1];
  if (env.ARGOCD_APP_NAME) {
    return ci('argocd', repoOfUrl(env.ARGOCD_APP_SOURCE_REPO_URL), env.ARGOCD_APP_REVISION, `${env.ARGOCD_APP_NAME}:${env.ARGOCD_APP_REVISION}`);
  }
  if (env.GITLAB_CI) {
    const status = env.CI_JOB_STATUS;
    return {
      ...ci('gitlab', env.CI_PROJECT_PATH, env.CI_COMMIT_SHA, env.CI_PIPELINE_ID && `${env.CI_PIPELINE_ID}:${env.CI_JOB_NAME ?? ''}`),
      ...(status && { success: status === 'success' }),
      oidc: async () => env.DORA_ID_TOKEN,
    };
  }
  if (env.CI === 'woodpecker' || env.WOODPECKER) {
    const status = env.CI_PIPELINE_STATUS;
    return {
      ...ci('woodpecker', env.CI_REPO, env.CI_COMMIT_SHA, env.CI_PIPELINE_NUMBER && `${env.CI_PIPELINE_NUMBER}:${env.CI_WORKFLOW_NAME ?? ''}`),
      ...(status && { success: status === 'success' }),
    };
  }
  if (env.JENKINS_URL) return ci('jenkins', repoOfUrl(env.GIT_URL), env.GIT_COMMIT, env.BUILD_TAG);
  if (env.GITHUB_ACTIONS || env.FORGEJO_ACTIONS || env.GITEA_ACTIONS) {
    // Forgejo Actions sets the GITHUB_* variables too (and FORGEJO_* in newer runners).
    const name = env.FORGEJO_ACTIONS || env.GITEA_ACTIONS ? 'forgejo' : 'github';
    const run = env.GITHUB_RUN_ID && `${env.GITHUB_RUN_ID}:${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
    return { ...ci(name, env.GITHUB_REPOSITORY, env.GITHUB_SHA, run), oidc: () => actionsIdToken(env) };
  }
  return ci('local', undefined, undefined, undefined);
}

/** @returns {Ci} */
function ci(/** @type {string} */ name, /** @type {string | undefined} */ repo, /** @type {string | undefined} */ commit, /** @type {string | undefined} */ run) {
  return { name, ...(repo && { repo }), ...(commit && { commit }), ...(run && { run: `${name}:${run}` }) };
}

/** Forgejo/GitHub Actions: the job's OIDC token, when the workflow may have one. */
async function actionsIdToken(/** @type {NodeJS.ProcessEnv} */ env) {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const token = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !token) return undefined;
  const audience = env.DORA_AUDIENCE || 'dora';
  const res = await fetch(`${url}${url.includes('?') ? '&' : '?'}audience=${encodeURIComponent(audience)}`, { headers: { authorization: `bearer ${token}` } });
  if (!res.ok) throw new ReportError(`the CI's OIDC token could not be fetched (${res.status})`);
  return /** @type {{ value: string }} */ (await res.json()).value;
}

/** The options, from the flags and then the DORA_* variables. */
function optionsOf(argv = process.argv.slice(2), env = process.env) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      url: { type: 'string' },
      environment: { type: 'string' },
      success: { type: 'string' },
      rework: { type: 'boolean' },
      service: { type: 'string' },
      team: { type: 'string' },
      repo: { type: 'string' },
      commit: { type: 'string' },
      since: { type: 'string' },
      'external-ref': { type: 'string' },
      org: { type: 'string' },
      audience: { type: 'string' },
      timeout: { type: 'string' },
      strict: { type: 'boolean' },
      help: { type: 'boolean' },
      version: { type: 'boolean' },
    },
  });
  /** @type {(flag: keyof typeof values, variable: string) => string | undefined} */
  const pick = (flag, variable) => {
    const value = values[flag];
    return typeof value === 'string' ? value : env[variable] || undefined;
  };
  /** @type {(flag: 'rework' | 'strict', variable: string) => boolean} */
  const flag = (name, variable) => values[name] === true || env[variable] === 'true';
  return {
    help: values.help === true,
    version: values.version === true,
    url: pick('url', 'DORA_URL'),
    environment: pick('environment', 'DORA_ENVIRONMENT'),
    success: pick('success', 'DORA_SUCCESS') ?? 'auto',
    rework: flag('rework', 'DORA_REWORK'),
    service: pick('service', 'DORA_SERVICE'),
    team: pick('team', 'DORA_TEAM'),
    repo: pick('repo', 'DORA_REPO'),
    commit: pick('commit', 'DORA_COMMIT'),
    since: pick('since', 'DORA_SINCE'),
    externalRef: pick('external-ref', 'DORA_EXTERNAL_REF'),
    org: pick('org', 'DORA_ORG'),
    audience: pick('audience', 'DORA_AUDIENCE'),
    token: env.DORA_TOKEN || undefined,
    timeoutMs: Number(pick('timeout', 'DORA_TIMEOUT') ?? 60) * 1000,
    strict: flag('strict', 'DORA_STRICT'),
  };
}

/** git's answer, or undefined when git is missing or does not know (a shallow clone, no repository). */
function git(/** @type {string[]} */ args) {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The commit's time with its offset, RFC 3339 (git's strict ISO 8601). */
const commitTime = (/** @type {string} */ sha) => git(['show', '-s', '--format=%cI', sha]) || undefined;

/** The commits after `since` up to `head`, newest first, with their times; undefined when git cannot tell. */
function commitsBetween(/** @type {string} */ since, /** @type {string} */ head) {
  const log = git(['log', '--format=%H %cI', `${since}..${head}`]);
  if (log === undefined) return undefined;
  return log === '' ? [] : log.split('\n').map((line) => ({ sha: line.slice(0, line.indexOf(' ')), committed_at: line.slice(line.indexOf(' ') + 1) }));
}

/**
 * Calls the service, retrying connection errors, 5xx and 429 (after its Retry-After) with backoff
 * until `deadline`. Answers the last response (a 4xx is not retried).
 * @returns {Promise<{ status: number, body: any }>}
 */
async function call(/** @type {string} */ url, /** @type {RequestInit} */ init, /** @type {number} */ deadline, /** @type {(line: string) => void} */ say) {
  for (let attempt = 1; ; attempt++) {
    let wait;
    let problem;
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(Math.max(1000, Math.min(30_000, deadline - Date.now()))) });
      const text = await res.text();
      const body = text ? JSON.parse(text) : null;
      if (res.status < 500 && res.status !== 429) return { status: res.status, body };
      problem = `${res.status} ${body?.error?.message ?? body?.error_description ?? ''}`.trim();
      const retryAfter = Number(res.headers.get('retry-after'));
      if (Number.isFinite(retryAfter) && retryAfter > 0) wait = retryAfter * 1000;
    } catch (error) {
      problem = /** @type {any} */ (error).cause?.code ?? /** @type {Error} */ (error).message;
    }
    wait ??= Math.min(500 * 2 ** (attempt - 1), 10_000) * (0.5 + Math.random() / 2);
    if (Date.now() + wait >= deadline) throw new ReportError(`the service did not answer in time (${problem})`);
    say(`dora-report: ${problem}; trying again in ${(wait / 1000).toFixed(1)} s`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** The token to report with: DORA_TOKEN, or the CI's OIDC token exchanged for one of --org. */
async function tokenFor(/** @type {ReturnType<typeof optionsOf>} */ options, /** @type {Ci} */ job, /** @type {number} */ deadline, /** @type {(line: string) => void} */ say) {
  if (options.token) return options.token;
  if (!options.org) throw new ReportError('no token: set DORA_TOKEN, or --org to exchange the CI\'s OIDC token');
  const subject = await job.oidc?.();
  if (!subject) throw new ReportError(`no token: DORA_TOKEN is not set and ${job.name} offers no OIDC token to exchange`);
  const form = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    subject_token: subject,
    scope: 'findings:write',
    audience: options.org,
  });
  const { status, body } = await call(`${options.url}/api/v1/auth/token-exchange`, { method: 'POST', body: form }, deadline, say);
  if (status !== 200) throw new ReportError(`the service refused the CI's OIDC token (${body?.error ?? status}: ${body?.error_description ?? ''})`);
  return /** @type {string} */ (body.access_token);
}

/** Reports the deployment; answers the line to print. */
async function report(/** @type {ReturnType<typeof optionsOf>} */ options, /** @type {Ci} */ job, /** @type {(line: string) => void} */ say) {
  const deadline = Date.now() + options.timeoutMs;
  if (!options.url) throw new ReportError('--url (or DORA_URL) is required');
  if (!options.environment) throw new ReportError('--environment (or DORA_ENVIRONMENT) is required');
  const url = options.url.replace(/\/+$/, '');
  const repo = options.repo ?? job.repo ?? repoOfOrigin();
  if (!repo) throw new ReportError('no repository: pass --repo owner/name (not read from the CI or git)');
  const commit = (options.commit ?? job.commit ?? git(['rev-parse', 'HEAD']))?.toLowerCase();
  const success = options.success === 'auto' ? (job.success ?? true) : options.success === 'true' ? true : options.success === 'false' ? false : undefined;
  if (success === undefined) throw new ReportError(`--success must be true, false or auto, not ${options.success}`);
  const token = await tokenFor({ ...options, url }, job, deadline, say);
  const auth = { authorization: `Bearer ${token}` };

  const deployment = /** @type {Record<string, unknown>} */ ({ repo_full_name: repo, environment: options.environment, deployed_at: new Date().toISOString(), success });
  if (options.rework) deployment.is_rework = true;
  if (options.service) deployment.service = options.service;
  if (options.team) deployment.team = options.team;
  const externalRef = options.externalRef ?? (job.run && `${job.run}${options.service ? `:${options.service}` : ''}`);
  if (externalRef) deployment.external_ref = externalRef;
  let changes = '';
  if (commit) {
    deployment.commit_sha = commit;
    const committedAt = commitTime(commit);
    if (committedAt) deployment.committed_at = committedAt;
    const since = options.since ?? (committedAt ? await lastDeployed(url, auth, repo, options, deadline, say) : undefined);
    const commits = since && since !== 'none' && committedAt ? commitsBetween(since, commit) : undefined;
    if (since && commits && commits.length > MAX_COMMITS) {
      changes = `, the head commit alone (${commits.length} commits since ${since.slice(0, 8)}: more than ${MAX_COMMITS})`;
    } else if (since && commits && commits.length > 0) {
      deployment.commits = commits;
      changes = `, ${commits.length} commit${commits.length === 1 ? '' : 's'} since ${since.slice(0, 8)}`;
    }
  }

  const { status, body } = await call(`${url}/api/v1/dora/deployments`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(deployment) }, deadline, say);
  if (status !== 200 && status !== 201) throw new ReportError(`the service refused the report: ${status} ${body?.error?.message ?? ''}`.trim());
  const what = `${repo}${options.service ? ` (${options.service})` : ''} to ${options.environment}${commit ? ` at ${commit.slice(0, 8)}` : ''}`;
  return `dora-report: ${status === 201 ? 'reported' : 'already reported'} the ${success ? 'successful' : 'failed'} deployment of ${what}${changes} (${body.id}${externalRef ? `, ${externalRef}` : ''})`;
}

/** The commit the service last saw deployed successfully here; undefined when there is none. */
async function lastDeployed(/** @type {string} */ url, /** @type {Record<string, string>} */ auth, /** @type {string} */ repo, /** @type {ReturnType<typeof optionsOf>} */ options, /** @type {number} */ deadline, /** @type {(line: string) => void} */ say) {
  const query = new URLSearchParams({ repo_full_name: repo, environment: /** @type {string} */ (options.environment), ...(options.service && { service: options.service }) });
  const { status, body } = await call(`${url}/api/v1/dora/deployments/last?${query}`, { headers: auth }, deadline, say);
  return status === 200 && body.commit_sha ? /** @type {string} */ (body.commit_sha) : undefined;
}

/** owner/name from the checkout's origin remote. */
function repoOfOrigin() {
  return git(['remote', 'get-url', 'origin'])?.replace(/\.git$/, '').match(/[:/]([^/:]+\/[^/]+?)\/?$/)?.[1];
}

async function main() {
  /** @type {ReturnType<typeof optionsOf>} */
  let options;
  try {
    options = optionsOf();
  } catch (error) {
    console.error(`dora-report: ${/** @type {Error} */ (error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (options.help) return console.log(HELP);
  if (options.version) return console.log(VERSION);
  try {
    console.log(await report(options, detectCi(), (line) => console.error(line)));
  } catch (error) {
    const reason = error instanceof ReportError ? error.message : /** @type {Error} */ (error).stack;
    console.error(`dora-report: the deployment was not reported: ${reason}${options.strict ? '' : ' (the job goes on; --strict fails it)'}`);
    process.exit(options.strict ? 1 : 0);
  }
}

await main();
