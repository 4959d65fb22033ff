import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import type { ForgejoOwnerItem } from '@dora/domain';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { type RequestContext, RequestMeta } from '../../common/request-context.js';
import { ApiAnswer, ApiErrors, ApiOrgRoute } from '../../openapi/decorators.js';
import type { Actor } from '../../access/principals.js';
import { AccessGuard, CurrentActor, CurrentOrg, RequiresScope } from '../../access/access.guard.js';
import type { Org } from '../../access/principals.js';
import { MapForgejoOwnerDto } from './dto/map-forgejo-owner.dto.js';
import { ForgejoOwnersService } from './forgejo-owners.service.js';

/** The Forgejo owners whose releases belong to the org, for its admins. */
@ApiTags('Forgejo webhook')
@Controller('api/v1/orgs/:slug/forgejo-owners')
@UseGuards(AccessGuard)
export class ForgejoOwnersController {
  constructor(private readonly owners: ForgejoOwnersService) {}

  @Get()
  @RequiresScope('dora:admin')
  @ApiOrgRoute('The Forgejo owners (user or org logins) whose releases become this org’s deployments', 'dora:admin')
  @ApiAnswer(200, 'ForgejoOwnerList')
  list(@CurrentOrg() org: Org): Promise<{ items: ForgejoOwnerItem[] }> {
    return this.owners.list(org.id).then((items) => ({ items }));
  }

  @Post()
  @RequiresScope('dora:admin')
  @ApiOrgRoute('Map a Forgejo owner to this org (audited); its releases kept waiting are processed', 'dora:admin')
  @ApiAnswer(201, 'ForgejoOwnerItem', 'Mapped')
  @ApiErrors(400, 409, 415)
  map(@CurrentOrg() org: Org, @Body() body: MapForgejoOwnerDto, @CurrentActor() actor: Actor, @RequestMeta() request: RequestContext): Promise<ForgejoOwnerItem> {
    return this.owners.map(org.id, body.owner, actor, request);
  }

  @Delete(':owner')
  @HttpCode(204)
  @RequiresScope('dora:admin')
  @ApiOrgRoute('Unmap a Forgejo owner (audited)', 'dora:admin')
  @ApiResponse({ status: 204, description: 'Unmapped' })
  unmap(@CurrentOrg() org: Org, @Param('owner') owner: string, @CurrentActor() actor: Actor, @RequestMeta() request: RequestContext): Promise<void> {
    return this.owners.unmap(org.id, owner, actor, request);
  }
}
