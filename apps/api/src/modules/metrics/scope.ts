import { NO_PIN } from '../teams/teams.repository.js';

/** Positional parameters of one SQL statement, numbered as the text that uses them is built. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A team's id, the deployments of no team, or every deployment. */
export type TeamFilter = { teamId: string } | 'unassigned' | null;

/** What a metric question is about: one environment of an org, optionally narrowed to a repo, a service, a team. */
export interface DeploymentScope {
  tenantId: string;
  environment: string;
  repo: string | null;
  /** A service's name (never '' — the whole repo is not a filter). */
  service: string | null;
  team: TeamFilter;
}

/** The scope is a whole environment of the org: no repo, service or team narrows it. */
export const isWholeEnvironment = (scope: DeploymentScope) => scope.repo === null && scope.service === null && scope.team === null;

/**
 * Each row's target: its (repo, service) and the team its ingest named, if any. Joined on the tenant given,
 * not only through `d` (Citus routes a statement whose every table names the tenant).
 */
const target = (tenant: string) => /* sql */ `
  deployment_targets t ON t.tenant_id = ${tenant} AND t.repo_full_name = d.repo_full_name AND t.service = d.service
                      AND t.pinned_team_id = coalesce(d.pinned_team_id, '${NO_PIN}')`;

/**
 * The rows of dora_deployments `d` in the scope that also meet `conditions` (over `d`); with `withOwner`,
 * each row's team as `owner_id`. A team's rows (DESIGN §3) are those of the targets it owns: one index
 * range per target, not a scan of the org.
 */
export function scopedDeployments(scope: DeploymentScope, p: SqlParams, conditions: string[], withOwner = false): string {
  const tenant = p.add(scope.tenantId);
  const where = [`d.tenant_id = ${tenant}`, `d.environment = ${p.add(scope.environment)}`, ...conditions];
  if (scope.repo !== null) where.push(`d.repo_full_name = ${p.add(scope.repo)}`);
  if (scope.service !== null) where.push(`d.service = ${p.add(scope.service)}`);
  if (scope.team !== null) where.push(scope.team === 'unassigned' ? 't.owner_id IS NULL' : `t.owner_id = ${p.add(scope.team.teamId)}::uuid`);
  const all = where.join(' AND ');
  if (scope.team === null && !withOwner) return `SELECT d.* FROM dora_deployments d WHERE ${all}`;
  return `SELECT d.*, t.owner_id FROM dora_deployments d JOIN ${target(tenant)} WHERE ${all}`;
}

/**
 * The rows of dora_changes `c` in the scope that also meet `conditions` (over `c`): each commit once, at
 * its first successful deployment, whose repo, service, environment and target they carry; with
 * `withOwner`, each row's team as `owner_id`.
 */
export function scopedChanges(scope: DeploymentScope, p: SqlParams, conditions: string[], withOwner = false): string {
  const tenant = p.add(scope.tenantId);
  const where = [`c.tenant_id = ${tenant}`, `c.environment = ${p.add(scope.environment)}`, ...conditions];
  if (scope.repo !== null) where.push(`c.repo_full_name = ${p.add(scope.repo)}`);
  if (scope.service !== null) where.push(`c.service = ${p.add(scope.service)}`);
  if (scope.team !== null) where.push(scope.team === 'unassigned' ? 't.owner_id IS NULL' : `t.owner_id = ${p.add(scope.team.teamId)}::uuid`);
  if (scope.team === null && !withOwner) return `SELECT c.* FROM dora_changes c WHERE ${where.join(' AND ')}`;
  return /* sql */ `
    SELECT c.*, t.owner_id FROM dora_changes c
      JOIN deployment_targets t ON t.tenant_id = ${tenant} AND t.repo_full_name = c.repo_full_name AND t.service = c.service
                               AND t.pinned_team_id = c.pinned_team_id
     WHERE ${where.join(' AND ')}`;
}
