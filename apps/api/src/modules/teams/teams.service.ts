import { Injectable } from '@nestjs/common';
import {
  type Team,
  type TeamAttribution as TeamAttributionItem,
  type TeamRule,
  type TeamRuleItem,
  TeamRuleSet,
  type TeamRulesPreview,
  teamSlugProblem,
} from '@dora/domain';
import { uuidv7 } from 'uuidv7';
import { DomainError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { isUniqueViolation } from '../../database/postgres-errors.js';
import { raiseConfigVersion, Transactions, type Tx } from '../../database/transactions.js';
import type { Actor, Org } from '../../access/principals.js';

/** The org a change is for (the CLI knows no more of it than this). */
type OrgRef = Pick<Org, 'id' | 'slug'>;
import { AuditRepository } from '../audit/audit.repository.js';
import type { CreateTeamDto, UpdateTeamDto } from './dto/team.dto.js';
import { TeamAttribution } from './team-attribution.js';
import { type TargetRow, type TeamRow, TeamsRepository } from './teams.repository.js';

const DAY_MS = 86_400_000;
/** How far back the rules' and the preview's deployment counts look. */
const COUNT_DAYS = 90;
/** The busiest targets a preview lists per team. */
const PREVIEW_TARGETS = 20;

@Injectable()
export class TeamsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly teams: TeamsRepository,
    private readonly attribution: TeamAttribution,
    private readonly audit: AuditRepository,
  ) {}

  async list(org: OrgRef): Promise<Team[]> {
    return (await this.transactions.inTenant(org.id, (tx) => this.teams.list(tx, org.id))).map(toTeam);
  }

  async get(org: OrgRef, slug: string): Promise<Team> {
    return this.transactions.inTenant(org.id, async (tx) => toTeam(await this.existing(tx, org, slug)));
  }

  async create(org: OrgRef, input: CreateTeamDto, actor: Actor, request?: RequestContext): Promise<Team> {
    refuseReserved(input.slug);
    const team = { id: uuidv7(), slug: input.slug, name: checkedName(input.name) };
    return this.writing(input.slug, () =>
      this.transactions.inTenant(org.id, async (tx) => {
        await raiseConfigVersion(tx, org.id);
        await this.teams.insert(tx, org.id, team);
        await this.audit.record(tx, { tenantId: org.id, action: 'teams.created', actor, subject: { type: 'team', id: team.id }, request, metadata: { slug: team.slug, name: team.name } });
        return toTeam((await this.teams.find(tx, org.id, team.slug))!);
      }),
    );
  }

  async update(org: OrgRef, slug: string, change: UpdateTeamDto, actor: Actor, request?: RequestContext): Promise<Team> {
    if (change.slug === undefined && change.name === undefined) throw new DomainError('validation_failed', 'Give slug or name');
    if (change.slug !== undefined) refuseReserved(change.slug);
    return this.writing(change.slug ?? slug, () =>
      this.transactions.inTenant(org.id, async (tx) => {
        await raiseConfigVersion(tx, org.id);
        const before = await this.existing(tx, org, slug);
        const after = { slug: change.slug ?? before.slug, name: change.name === undefined ? before.name : checkedName(change.name) };
        await this.teams.update(tx, org.id, before.id, after);
        await this.audit.record(tx, {
          tenantId: org.id,
          action: 'teams.updated',
          actor,
          subject: { type: 'team', id: before.id },
          request,
          metadata: { before: { slug: before.slug, name: before.name }, after },
        });
        return toTeam((await this.teams.find(tx, org.id, after.slug))!);
      }),
    );
  }

  /** Its rules go with it, and deployments whose ingest named it fall back to the remaining rules. */
  async delete(org: OrgRef, slug: string, actor: Actor, request?: RequestContext): Promise<void> {
    await this.transactions.inTenant(org.id, async (tx) => {
      await this.teams.lockConfiguration(tx, org.id, 'exclusive');
      await raiseConfigVersion(tx, org.id);
      const team = await this.existing(tx, org, slug);
      await this.teams.delete(tx, org.id, team.id);
      await this.attribution.reattribute(tx, org.id, since());
      await this.audit.record(tx, { tenantId: org.id, action: 'teams.deleted', actor, subject: { type: 'team', id: team.id }, request, metadata: { slug: team.slug, name: team.name, rules: team.rules } });
    });
  }

  async rules(org: OrgRef): Promise<TeamRuleItem[]> {
    return this.transactions.inTenant(org.id, async (tx) => {
      const rules = await this.teams.rules(tx, org.id);
      return ruleItems(rules, await this.teams.targets(tx, org.id, since()));
    });
  }

  /** Replaces the whole ordered list at once and re-attributes every deployment of the org in the same transaction. */
  async replaceRules(org: OrgRef, rules: TeamRule[], actor: Actor, request?: RequestContext): Promise<TeamRuleItem[]> {
    return this.transactions.inTenant(org.id, async (tx) => {
      await this.teams.lockConfiguration(tx, org.id, 'exclusive');
      await raiseConfigVersion(tx, org.id);
      const teamIds = await this.teamIdsOf(tx, org, rules);
      const before = await this.teams.rules(tx, org.id);
      await this.teams.replaceRules(tx, org.id, rules.map((rule) => ({ teamId: teamIds.get(rule.team)!, repo: rule.repo, service: rule.service })));
      const targets = await this.attribution.reattribute(tx, org.id, since());
      await this.audit.record(tx, {
        tenantId: org.id,
        action: 'teams.rules_replaced',
        actor,
        subject: { type: 'org', id: org.id },
        request,
        metadata: { before: before.map(({ team, repo, service }) => ({ team, repo, service })), after: rules },
      });
      return ruleItems(rules, targets);
    });
  }

  /** What a proposed rule list would attribute, computed as a replacement would, and nothing saved. */
  async preview(org: OrgRef, rules: TeamRule[]): Promise<TeamRulesPreview> {
    return this.transactions.inTenant(org.id, async (tx) => {
      await this.teamIdsOf(tx, org, rules);
      const [teams, targets] = [await this.teams.list(tx, org.id), await this.teams.targets(tx, org.id, since())];
      return { rules: ruleItems(rules, targets), teams: attribution(rules, targets, teams) };
    });
  }

  private async existing(tx: Tx, org: OrgRef, slug: string): Promise<TeamRow> {
    const team = await this.teams.find(tx, org.id, slug);
    if (!team) throw new DomainError('not_found', `No team "${slug}" in the org ${org.slug}`);
    return team;
  }

  /** Each rule's team by slug; a validation error naming the first rule whose team the org does not have. */
  private async teamIdsOf(tx: Tx, org: OrgRef, rules: TeamRule[]): Promise<Map<string, string>> {
    const ids = new Map((await this.teams.list(tx, org.id)).map((team) => [team.slug, team.id]));
    const unknown = rules.findIndex((rule) => !ids.has(rule.team));
    if (unknown >= 0) {
      const message = `no team "${rules[unknown]!.team}" in this org`;
      throw new DomainError('validation_failed', `rules.${unknown}.team: ${message}`, [{ field: `rules.${unknown}.team`, message }]);
    }
    return ids;
  }

  private async writing<T>(slug: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('conflict', `The org already has a team "${slug}"`);
      throw error;
    }
  }
}

function since(): Date {
  return new Date(Date.now() - COUNT_DAYS * DAY_MS);
}

function refuseReserved(slug: string): void {
  const problem = teamSlugProblem(slug);
  if (problem) throw new DomainError('validation_failed', `slug ${problem}`, [{ field: 'slug', message: problem }]);
}

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 200) throw new DomainError('validation_failed', 'A team name has 1-200 characters', [{ field: 'name', message: 'must have 1-200 characters' }]);
  return trimmed;
}

function toTeam(row: TeamRow): Team {
  return { slug: row.slug, name: row.name, rules: row.rules, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() };
}

/** Each rule with the deployments it attributes (the first matching rule owns a target) and the rule that shadows it. */
function ruleItems(rules: TeamRule[], targets: TargetRow[]): TeamRuleItem[] {
  const ruleSet = new TeamRuleSet(rules);
  const counts = new Array<number>(rules.length).fill(0);
  for (const target of targets) {
    const position = ruleSet.ruleFor(target.repo_full_name, target.service);
    if (position !== null) counts[position]! += target.deployments_90d;
  }
  const shadowedBy = ruleSet.shadowedBy();
  return rules.map(({ team, repo, service }, position) => ({ team, repo, service, position, deployments_90d: counts[position]!, shadowed_by: shadowedBy[position]! }));
}

/** Every team and unassigned, with what the rules give each, busiest first. */
function attribution(rules: TeamRule[], targets: TargetRow[], teams: TeamRow[]): TeamAttributionItem[] {
  const ruleSet = new TeamRuleSet(rules);
  const owned = new Map<string | null, TargetRow[]>([...teams.map((team) => [team.slug, []] as [string, TargetRow[]]), [null, []]]);
  for (const target of targets) owned.get(ruleSet.teamOf(target.repo_full_name, target.service))!.push(target);
  return [...owned]
    .map(([team, list]) => {
      const busiest = [...list].sort((a, b) => b.deployments_90d - a.deployments_90d || a.repo_full_name.localeCompare(b.repo_full_name));
      return {
        team,
        deployments_90d: list.reduce((sum, target) => sum + target.deployments_90d, 0),
        targets_total: list.length,
        targets: busiest.slice(0, PREVIEW_TARGETS),
      };
    })
    .sort((a, b) => b.deployments_90d - a.deployments_90d || (a.team ?? '~').localeCompare(b.team ?? '~'));
}
