import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, UseGuards } from '@nestjs/common';
import type { Team, TeamList, TeamRuleList, TeamRulesPreview } from '@dora/domain';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { type RequestContext, RequestMeta } from '../../common/request-context.js';
import { ApiAnswer, ApiErrors, ApiOrgRoute } from '../../openapi/decorators.js';
import { AccessGuard, CurrentActor, CurrentOrg, RequiresScope } from '../../access/access.guard.js';
import type { Actor, Org } from '../../access/principals.js';
import { CreateTeamDto, TeamRulesDto, UpdateTeamDto } from './dto/team.dto.js';
import { TeamsService } from './teams.service.js';

/** An org's teams and the ordered rules that attribute deployments to them: members read, admins change. */
@ApiTags('Teams')
@Controller('api/v1/orgs/:slug/teams')
@UseGuards(AccessGuard)
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Get()
  @RequiresScope('dora:read')
  @ApiOrgRoute('The org’s teams', 'dora:read')
  @ApiAnswer(200, 'TeamList')
  async list(@CurrentOrg() org: Org): Promise<TeamList> {
    return { items: await this.teams.list(org) };
  }

  @Post()
  @RequiresScope('dora:admin')
  @ApiOrgRoute('Create a team (audited)', 'dora:admin')
  @ApiAnswer(201, 'Team', 'Created')
  @ApiErrors(400, 409, 415)
  create(@CurrentOrg() org: Org, @Body() body: CreateTeamDto, @CurrentActor() actor: Actor, @RequestMeta() request: RequestContext): Promise<Team> {
    return this.teams.create(org, body, actor, request);
  }

  // The rule routes come before `:team`: "rules" is a reserved word, never a team.
  @Get('rules')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The ordered rules, each with the deployments of the last 90 days it attributes', 'dora:read')
  @ApiAnswer(200, 'TeamRuleList')
  async rules(@CurrentOrg() org: Org): Promise<TeamRuleList> {
    return { items: await this.teams.rules(org) };
  }

  @Put('rules')
  @RequiresScope('dora:admin')
  @ApiOrgRoute('Replace the ordered rules at once; all history is re-attributed (audited)', 'dora:admin')
  @ApiAnswer(200, 'TeamRuleList')
  @ApiErrors(400, 415)
  async replaceRules(@CurrentOrg() org: Org, @Body() body: TeamRulesDto, @CurrentActor() actor: Actor, @RequestMeta() request: RequestContext): Promise<TeamRuleList> {
    return { items: await this.teams.replaceRules(org, body.rules, actor, request) };
  }

  @Post('rules/preview')
  @HttpCode(200)
  @RequiresScope('dora:admin')
  @ApiOrgRoute('What a proposed rule list would attribute, without saving it', 'dora:admin')
  @ApiAnswer(200, 'TeamRulesPreview')
  @ApiErrors(400, 415)
  preview(@CurrentOrg() org: Org, @Body() body: TeamRulesDto): Promise<TeamRulesPreview> {
    return this.teams.preview(org, body.rules);
  }

  @Get(':team')
  @RequiresScope('dora:read')
  @ApiOrgRoute('One team', 'dora:read')
  @ApiAnswer(200, 'Team')
  get(@CurrentOrg() org: Org, @Param('team') team: string): Promise<Team> {
    return this.teams.get(org, team);
  }

  @Patch(':team')
  @RequiresScope('dora:admin')
  @ApiOrgRoute('Rename a team or change its slug (audited)', 'dora:admin')
  @ApiAnswer(200, 'Team')
  @ApiErrors(400, 409, 415)
  update(@CurrentOrg() org: Org, @Param('team') team: string, @Body() body: UpdateTeamDto, @CurrentActor() actor: Actor, @RequestMeta() request: RequestContext): Promise<Team> {
    return this.teams.update(org, team, body, actor, request);
  }

  @Delete(':team')
  @HttpCode(204)
  @RequiresScope('dora:admin')
  @ApiOrgRoute('Delete a team with its rules; its deployments fall to the remaining rules (audited)', 'dora:admin')
  @ApiResponse({ status: 204, description: 'Deleted' })
  delete(@CurrentOrg() org: Org, @Param('team') team: string, @CurrentActor() actor: Actor, @RequestMeta() request: RequestContext): Promise<void> {
    return this.teams.delete(org, team, actor, request);
  }
}
