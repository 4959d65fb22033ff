import { Injectable } from '@nestjs/common';
import { TeamRuleSet } from '@dora/domain';
import { DomainError } from '../../common/errors.js';
import type { Tx } from '../../database/transactions.js';
import { type NewTarget, type TargetRow, type TargetTeam, TeamsRepository, WHOLE_REPO } from './teams.repository.js';

/**
 * Which team owns a deployment (DESIGN §3): the team its ingest named, else the team of the first of the
 * org's rules that matches its (repo, service). The rules are applied once per target — a (repo,
 * service) the org has deployed — when it first appears and whenever the rules change, so a change
 * re-attributes all history at once and a read never sees half of it.
 */
@Injectable()
export class TeamAttribution {
  constructor(private readonly teams: TeamsRepository) {}

  /** The id of the team an ingest names, holding the org's lock shared so that the team stays until the ingest commits. */
  async pinnedTeam(tx: Tx, tenantId: string, slug: string): Promise<string> {
    await this.teams.lockConfiguration(tx, tenantId, 'shared');
    const team = await this.teams.find(tx, tenantId, slug);
    if (!team) throw new DomainError('validation_failed', `team: no team "${slug}" in this org`, [{ field: 'team', message: `no team "${slug}" in this org` }]);
    return team.id;
  }

  /**
   * For deployments just inserted: the first deployment of a target records it, and an unpinned one is
   * attributed by the org's rules (`attributeTargets`). A pinned target's team is the one its ingest
   * named (held by the lock `pinnedTeam` took): no rule to apply.
   */
  async attributeNewTargets(tx: Tx, tenantId: string, targets: NewTarget[]): Promise<void> {
    const added = await this.teams.addTargets(tx, tenantId, targets);
    await this.attributeTargets(
      tx,
      tenantId,
      added.filter((target) => target.pinnedTeamId === null),
    );
  }

  /**
   * Applies the org's rules to unpinned targets this transaction has just added, under the org's lock
   * shared — taken after the targets' rows are in, so a rule change either waits for this ingest or
   * committed before the rules are read here.
   */
  async attributeTargets(tx: Tx, tenantId: string, targets: { repoFullName: string; service: string }[]): Promise<void> {
    if (targets.length === 0) return;
    await this.teams.lockConfiguration(tx, tenantId, 'shared');
    const rules = await this.teams.rules(tx, tenantId);
    const ruleSet = new TeamRuleSet(rules);
    const attributed: TargetTeam[] = [];
    for (const { repoFullName, service } of targets) {
      const position = ruleSet.ruleFor(repoFullName, service === WHOLE_REPO ? null : service);
      if (position !== null) attributed.push({ repoFullName, service, teamId: rules[position]!.team_id, rulePosition: position });
    }
    await this.teams.setTargetTeams(tx, tenantId, attributed);
  }

  /** Applies the org's rules to every target (the org's lock held exclusively); answers the targets with their 90-day counts. */
  async reattribute(tx: Tx, tenantId: string, since: Date): Promise<TargetRow[]> {
    const rules = await this.teams.rules(tx, tenantId);
    const ruleSet = new TeamRuleSet(rules);
    const targets = await this.teams.targets(tx, tenantId, since);
    const attributed: TargetTeam[] = targets.map((target) => {
      const position = ruleSet.ruleFor(target.repo_full_name, target.service);
      return { repoFullName: target.repo_full_name, service: target.service, teamId: position === null ? null : rules[position]!.team_id, rulePosition: position };
    });
    await this.teams.setTargetTeams(tx, tenantId, attributed);
    return targets;
  }
}
