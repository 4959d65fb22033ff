import { Body, Controller, Delete, Get, Param, Post, UseGuards } from '@nestjs/common';
import type { BadgeKeyItem, BadgeKeyList, MintedBadgeKey } from '@dora/domain';
import { ApiTags } from '@nestjs/swagger';
import { AccessGuard, CurrentActor, CurrentOrg, RequiresScope } from '../../../access/access.guard.js';
import type { Actor, Org } from '../../../access/principals.js';
import { type RequestContext, RequestMeta } from '../../../common/request-context.js';
import { ApiAnswer, ApiErrors, ApiOrgRoute } from '../../../openapi/decorators.js';
import { BadgeKeysService } from './badge-keys.service.js';
import { MintBadgeKeyDto } from './mint-badge-key.dto.js';

/** An org's badge keys, for its admins (DESIGN §7, "Badge keys"). */
@ApiTags('Badges')
@Controller('api/v1/orgs/:slug/badge-keys')
@UseGuards(AccessGuard)
export class BadgeKeysController {
  constructor(private readonly keys: BadgeKeysService) {}

  @Get()
  @RequiresScope('dora:admin')
  @ApiOrgRoute('The org’s badge keys (never the keys themselves)', 'dora:admin')
  @ApiAnswer(200, 'BadgeKeyList')
  async list(@CurrentOrg() org: Org): Promise<BadgeKeyList> {
    return { items: await this.keys.list(org.id) };
  }

  /** 201 with the key, shown this once. */
  @Post()
  @RequiresScope('dora:admin')
  @ApiOrgRoute('Mint a badge key (audited): it shows the org’s badges and nothing else; the key is in the answer once', 'dora:admin')
  @ApiAnswer(201, 'MintedBadgeKey', 'Minted')
  @ApiErrors(400, 415)
  mint(@CurrentOrg() org: Org, @Body() body: MintBadgeKeyDto, @CurrentActor() actor: Actor, @RequestMeta() request: RequestContext): Promise<MintedBadgeKey> {
    return this.keys.mint(org.id, body.name, actor, request);
  }

  @Delete(':id')
  @RequiresScope('dora:admin')
  @ApiOrgRoute('Revoke a badge key (audited): its badges stop answering', 'dora:admin')
  @ApiAnswer(200, 'BadgeKeyItem')
  @ApiErrors(409)
  revoke(@CurrentOrg() org: Org, @Param('id') id: string, @CurrentActor() actor: Actor, @RequestMeta() request: RequestContext): Promise<BadgeKeyItem> {
    return this.keys.revoke(org.id, id, actor, request);
  }
}
