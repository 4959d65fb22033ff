import type { DeploymentInput, TeamRule } from '@dora/domain';

const DAY = 86_400_000;
const MINUTE = 60_000;

/** Repositories of a plausible org: how often each deploys to production, and whether it goes through staging. */
const REPOS: { name: string; perDay: number; staging: boolean; service?: string }[] = [
  { name: 'web', perDay: 2, staging: true },
  { name: 'api', perDay: 1.2, staging: true },
  { name: 'worker', perDay: 0.5, staging: true },
  { name: 'mobile-bff', perDay: 0.3, staging: false },
  { name: 'infra', perDay: 0.15, staging: false },
  // A monorepo whose services deploy on their own.
  { name: 'shop', service: 'checkout', perDay: 0.8, staging: true },
  { name: 'shop', service: 'cart', perDay: 0.5, staging: false },
  { name: 'shop', service: 'search', perDay: 0.6, staging: false },
];

/** The demo org's teams and their ordered rules: mobile-bff stays unassigned, so the Teams page shows that row too. */
export function demoTeams(org: string): { teams: { slug: string; name: string }[]; rules: TeamRule[] } {
  return {
    teams: [
      { slug: 'storefront', name: 'Storefront' },
      { slug: 'search', name: 'Search' },
      { slug: 'platform', name: 'Platform' },
    ],
    rules: [
      { team: 'search', repo: `${org}/shop`, service: 'search' },
      { team: 'storefront', repo: `${org}/shop`, service: null },
      { team: 'storefront', repo: `${org}/web`, service: null },
      { team: 'platform', repo: `${org}/api`, service: null },
      { team: 'platform', repo: `${org}/worker`, service: null },
      { team: 'platform', repo: `${org}/infra`, service: null },
    ],
  };
}

type Commit = NonNullable<DeploymentInput['commits']>[number];

/**
 * A realistic deployment history for an org over the last `days` days before `now`: several repos and
 * environments, failures followed by fixes after realistic delays, rework, change sets of varied size
 * and age (a change goes through staging, then production; a fix ships the failed change again with its
 * own commit), and some deployments without commit data. Deterministic for a given seed, in time order.
 */
export function demoHistory(org: string, options: { days: number; now: number; seed?: number }): DeploymentInput[] {
  const random = seededRandom(options.seed ?? 7);
  const deployments: (DeploymentInput & { at: number })[] = [];
  const start = options.now - options.days * DAY;
  let n = 0;
  /** The commits of a change deployed at `at`, oldest first: its head commit hours before, and a few that waited longer. */
  const change = (at: number): Commit[] => {
    let committed = at - logNormal(random, 5 * 60 * MINUTE, 1.2);
    const commits = [{ sha: hex(random, 40), committed_at: new Date(committed).toISOString() }];
    for (let older = poisson(random, 2.5); older > 0; older--) {
      committed -= logNormal(random, 4 * 60 * MINUTE, 1);
      commits.unshift({ sha: hex(random, 40), committed_at: new Date(committed).toISOString() });
    }
    return commits;
  };
  const add = (repo: string, environment: string, at: number, commits: Commit[], fields: Partial<DeploymentInput>) => {
    if (at >= options.now || at < start) return;
    const head = commits.at(-1);
    deployments.push({
      at,
      repo_full_name: `${org}/${repo}`,
      environment,
      deployed_at: new Date(at).toISOString(),
      ...(head ? { commit_sha: head.sha, committed_at: head.committed_at, commits } : {}),
      success: true,
      is_rework: false,
      external_ref: `demo-${n++}`,
      ...fields,
    });
  };

  for (let day = 0; day < options.days; day++) {
    const dayStart = start + day * DAY;
    const weekend = [0, 6].includes(new Date(dayStart).getUTCDay());
    for (const repo of REPOS) {
      let count = poisson(random, repo.perDay * (weekend ? 0.2 : 1.1));
      while (count-- > 0) {
        const at = dayStart + (8 + random() * 10) * 60 * MINUTE; // working hours, UTC
        const service = repo.service ? { service: repo.service } : {};
        const staged = at - (30 + random() * 60) * MINUTE;
        // Some pipelines report no commit data at all.
        const commits = random() > 0.08 ? change(staged) : [];
        if (repo.staging) add(repo.name, 'staging', staged, commits, service);
        const failed = random() < 0.07;
        add(repo.name, 'production', at, commits, { ...service, success: !failed, is_rework: !failed && random() < 0.04 });
        if (failed) {
          const fixedAt = at + logNormal(random, 60 * MINUTE, 1.1);
          const fix = { sha: hex(random, 40), committed_at: new Date(fixedAt - 15 * MINUTE).toISOString() };
          add(repo.name, 'production', fixedAt, commits.length ? [...commits, fix] : [], { ...service, is_rework: true });
        }
      }
    }
  }
  return deployments.sort((a, b) => a.at - b.at).map(({ at: _at, ...deployment }) => deployment);
}

function poisson(random: () => number, mean: number): number {
  let k = 0;
  for (let p = random(); p > Math.exp(-mean); p *= random()) k++;
  return k;
}

function hex(random: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(random() * 16).toString(16);
  return out;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): the same seed, the same history. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A log-normal sample with the given median and spread (Box-Muller): durations with a long tail. */
function logNormal(random: () => number, median: number, sigma: number): number {
  return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}
