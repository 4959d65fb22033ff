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

/** Joined on the tenant given, not only through `d` (Citus routes a statement whose every table names the tenant). */
const target = (tenant: string) => /* sql */ `deployment_targets t ON t.tenant_id = ${tenant} AND t.repo_full_name = d.repo_full_name AND t.service = d.service`;

/**
 * The rows of dora_deployments `d` in the scope that also meet `conditions` (over `d`). A team's rows
 * (DESIGN §3: pinned to it by their ingest, else of the targets the rules give it) are read as its
 * targets' rows plus those pinned to it — index ranges, not a scan of the org.
 */
export function scopedDeployments(scope: DeploymentScope, p: SqlParams, conditions: string[]): string {
  const tenant = p.add(scope.tenantId);
  const where = [`d.tenant_id = ${tenant}`, `d.environment = ${p.add(scope.environment)}`, ...conditions];
  if (scope.repo !== null) where.push(`d.repo_full_name = ${p.add(scope.repo)}`);
  if (scope.service !== null) where.push(`d.service = ${p.add(scope.service)}`);
  const all = where.join(' AND ');
  if (scope.team === null) return `SELECT d.* FROM dora_deployments d WHERE ${all}`;
  if (scope.team === 'unassigned') {
    return `SELECT d.* FROM dora_deployments d JOIN ${target(tenant)} WHERE t.team_id IS NULL AND d.pinned_team_id IS NULL AND ${all}`;
  }
  const team = p.add(scope.team.teamId);
  return /* sql */ `
    SELECT d.* FROM dora_deployments d JOIN ${target(tenant)} WHERE t.team_id = ${team}::uuid AND d.pinned_team_id IS NULL AND ${all}
    UNION ALL
    SELECT d.* FROM dora_deployments d WHERE d.pinned_team_id = ${team}::uuid AND ${all}`;
}
