import { Injectable } from '@nestjs/common';
import type { TeamRule } from '@dora/domain';
import { byKey, insertRows } from '../../database/insert-rows.js';
import type { Tx } from '../../database/transactions.js';

export interface TeamRow {
  id: string;
  slug: string;
  name: string;
  rules: number;
  created_at: Date;
  updated_at: Date;
}

/** A (repo, service) the org has deployed; service null for whole-repo deployments. */
export interface TargetRow {
  repo_full_name: string;
  service: string | null;
  deployments_90d: number;
}

/** The attribution of one target as the rules give it. */
/** A (repo, service) deployed, and the team its ingest named (null: none). */
export interface NewTarget {
  repoFullName: string;
  service: string;
  pinnedTeamId: string | null;
}

export interface TargetTeam {
  repoFullName: string;
  service: string | null;
  teamId: string | null;
  rulePosition: number | null;
}

/** A service is stored as '' for the whole repo, so that (repo, service) is a plain key (DESIGN §3). */
export const WHOLE_REPO = '';

/**
 * A target's `pinned_team_id` when its deployments' ingest named no team (a key column cannot be null).
 * Deployments join their target on `coalesce(pinned_team_id, NO_PIN)`.
 */
export const NO_PIN = '00000000-0000-0000-0000-000000000000';

// Every table of a statement names the tenant ($1) itself, not only through a join: Citus then routes the
// statement to the org's worker, where a join through another table would make it ask every worker.
const TEAM_COLUMNS = /* sql */ `
  tm.id, tm.slug, tm.name, tm.created_at, tm.updated_at,
  (SELECT count(*)::int FROM team_rules r WHERE r.tenant_id = $1 AND r.team_id = tm.id) AS rules`;

/** Teams, their ordered rules, and the attribution of each deployment target (DESIGN §3). */
@Injectable()
export class TeamsRepository {
  /**
   * The org's lock on its team configuration: changes of rules and removals of teams take it alone; an
   * ingest that attributes a new target or pins a team shares it, so no attribution is computed from
   * rules that are being replaced.
   */
  async lockConfiguration(tx: Tx, tenantId: string, mode: 'shared' | 'exclusive'): Promise<void> {
    const lock = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
    await tx.query(`SELECT ${lock}(hashtextextended('teams/' || $1::text, 0))`, [tenantId]);
  }

  async list(tx: Tx, tenantId: string): Promise<TeamRow[]> {
    return tx.query<TeamRow>(`SELECT ${TEAM_COLUMNS} FROM teams tm WHERE tm.tenant_id = $1 ORDER BY tm.slug`, [tenantId]);
  }

  async find(tx: Tx, tenantId: string, slug: string): Promise<TeamRow | undefined> {
    const [row] = await tx.query<TeamRow>(`SELECT ${TEAM_COLUMNS} FROM teams tm WHERE tm.tenant_id = $1 AND tm.slug = $2`, [tenantId, slug]);
    return row;
  }

  async insert(tx: Tx, tenantId: string, team: { id: string; slug: string; name: string }): Promise<void> {
    await tx.query(`INSERT INTO teams (tenant_id, id, slug, name) VALUES ($1, $2, $3, $4)`, [tenantId, team.id, team.slug, team.name]);
  }

  async update(tx: Tx, tenantId: string, id: string, change: { slug: string; name: string }): Promise<void> {
    await tx.query(`UPDATE teams SET slug = $3, name = $4, updated_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, id, change.slug, change.name]);
  }

  /**
   * Removes a team with its rules; deployments whose ingest named it fall back to the rules: their
   * targets become unpinned ones (attributed by the caller's re-attribution).
   */
  async delete(tx: Tx, tenantId: string, id: string): Promise<void> {
    await tx.query(`DELETE FROM team_rules WHERE tenant_id = $1 AND team_id = $2`, [tenantId, id]);
    await tx.query(`UPDATE dora_deployments SET pinned_team_id = NULL WHERE tenant_id = $1 AND pinned_team_id = $2`, [tenantId, id]);
    await tx.query(`UPDATE dora_changes SET pinned_team_id = '${NO_PIN}' WHERE tenant_id = $1 AND pinned_team_id = $2`, [tenantId, id]);
    const pinned = await tx.query<{ repo_full_name: string; service: string }>(
      `SELECT repo_full_name, service FROM deployment_targets WHERE tenant_id = $1 AND pinned_team_id = $2`,
      [tenantId, id],
    );
    await tx.query(`DELETE FROM deployment_targets WHERE tenant_id = $1 AND pinned_team_id = $2`, [tenantId, id]);
    await this.addTargets(tx, tenantId, pinned.map((t) => ({ repoFullName: t.repo_full_name, service: t.service, pinnedTeamId: null })));
    await tx.query(`DELETE FROM teams WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  }

  /** The rules in order, with the team's slug. */
  async rules(tx: Tx, tenantId: string): Promise<(TeamRule & { team_id: string })[]> {
    return tx.query(
      /* sql */ `
      SELECT tm.slug AS team, tm.id AS team_id, r.repo_pattern AS repo, r.service_pattern AS service
        FROM team_rules r JOIN teams tm ON tm.tenant_id = $1 AND tm.id = r.team_id
       WHERE r.tenant_id = $1
       ORDER BY r.position`,
      [tenantId],
    );
  }

  async replaceRules(tx: Tx, tenantId: string, rules: { teamId: string; repo: string; service: string | null }[]): Promise<void> {
    await tx.query(`DELETE FROM team_rules WHERE tenant_id = $1`, [tenantId]);
    if (rules.length === 0) return;
    // One multi-row VALUES: Citus routes it to the org's shard (an INSERT … SELECT FROM unnest() would go through the coordinator).
    const values = rules.map((_, i) => `($1, ${i}, $${3 * i + 2}::uuid, $${3 * i + 3}, $${3 * i + 4})`).join(', ');
    await tx.query(
      `INSERT INTO team_rules (tenant_id, position, team_id, repo_pattern, service_pattern) VALUES ${values}`,
      [tenantId, ...rules.flatMap((r) => [r.teamId, r.repo, r.service])],
    );
  }

  /** Every target of the org that the rules attribute (no team named by the ingest), with its deployments since `since`. */
  async targets(tx: Tx, tenantId: string, since: Date): Promise<TargetRow[]> {
    return tx.query<TargetRow>(
      /* sql */ `
      SELECT t.repo_full_name, nullif(t.service, '') AS service, count(d.id)::int AS deployments_90d
        FROM deployment_targets t
        LEFT JOIN dora_deployments d
          ON d.tenant_id = $1 AND d.repo_full_name = t.repo_full_name AND d.service = t.service
         AND d.deployed_at >= $2 AND d.pinned_team_id IS NULL
       WHERE t.tenant_id = $1 AND t.pinned_team_id = '${NO_PIN}'
       GROUP BY t.repo_full_name, t.service`,
      [tenantId, since],
    );
  }

  /** Writes the attribution of the targets whose team or rule changed. */
  async setTargetTeams(tx: Tx, tenantId: string, targets: TargetTeam[]): Promise<void> {
    if (targets.length === 0) return;
    await tx.query(
      /* sql */ `
      UPDATE deployment_targets t SET team_id = a.team_id, rule_position = a.rule_position
        FROM unnest($2::text[], $3::text[], $4::uuid[], $5::int[]) AS a (repo_full_name, service, team_id, rule_position)
       WHERE t.tenant_id = $1 AND t.repo_full_name = a.repo_full_name AND t.service = a.service AND t.pinned_team_id = '${NO_PIN}'
         AND (t.team_id IS DISTINCT FROM a.team_id OR t.rule_position IS DISTINCT FROM a.rule_position)`,
      [
        tenantId,
        targets.map((t) => t.repoFullName),
        targets.map((t) => t.service ?? WHOLE_REPO),
        targets.map((t) => t.teamId),
        targets.map((t) => t.rulePosition),
      ],
    );
  }

  /**
   * Records the targets deployed for the first time (pinned: by deployments naming that team), in key
   * order; answers those this call added.
   */
  async addTargets(tx: Tx, tenantId: string, targets: NewTarget[]): Promise<NewTarget[]> {
    const rows = targets
      .map((t) => [t.repoFullName, t.service, t.pinnedTeamId ?? NO_PIN])
      .sort(byKey);
    const added = await insertRows<{ repo_full_name: string; service: string; pinned_team_id: string }>(
      tx,
      tenantId,
      rows,
      (values) => `INSERT INTO deployment_targets (tenant_id, repo_full_name, service, pinned_team_id) VALUES ${values}
                   ON CONFLICT DO NOTHING RETURNING repo_full_name, service, pinned_team_id`,
    );
    return added.map((t) => ({ repoFullName: t.repo_full_name, service: t.service, pinnedTeamId: t.pinned_team_id === NO_PIN ? null : t.pinned_team_id }));
  }
}
