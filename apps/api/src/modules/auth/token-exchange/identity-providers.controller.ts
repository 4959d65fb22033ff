import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import type { IdentityProviderItem } from '@dora/domain';
import { type RequestContext, RequestMeta } from '../../../common/request-context.js';
import type { Actor } from '../../../access/principals.js';
import type { Org } from '../../../access/principals.js';
import { AccessGuard, CurrentActor, CurrentOrg, RequiresScope } from '../../../access/access.guard.js';
import { CreateIdentityProviderDto } from './dto/create-identity-provider.dto.js';
import { IdentityProvidersService } from './identity-providers.service.js';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors, ApiOrgRoute } from '../../../openapi/decorators.js';

/** The issuers an org trusts for token exchange, for its admins. */
@ApiTags('Tokens')
@Controller('api/v1/orgs/:slug/identity-providers')
@UseGuards(AccessGuard)
export class IdentityProvidersController {
  constructor(private readonly providers: IdentityProvidersService) {}

  @Get()
  @RequiresScope('dora:admin')
  @ApiOrgRoute('The issuers the org trusts for token exchange', 'dora:admin')
  @ApiAnswer(200, 'IdentityProviderList')
  list(@CurrentOrg() org: Org): Promise<{ items: IdentityProviderItem[] }> {
    return this.providers.list(org.id).then((items) => ({ items }));
  }

  @Post()
  @RequiresScope('dora:admin')
  @ApiOrgRoute('Trust an issuer (audited)', 'dora:admin')
  @ApiAnswer(201, 'IdentityProviderItem', 'Trusted')
  @ApiErrors(400, 409, 415)
  add(@CurrentOrg() org: Org, @Body() body: CreateIdentityProviderDto, @CurrentActor() actor: Actor, @RequestMeta() request: RequestContext): Promise<IdentityProviderItem> {
    return this.providers.add(org.id, body, actor, request);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequiresScope('dora:admin')
  @ApiOrgRoute('Stop trusting an issuer (audited)', 'dora:admin')
  @ApiResponse({ status: 204, description: 'Removed' })
  remove(@CurrentOrg() org: Org, @Param('id') id: string, @CurrentActor() actor: Actor, @RequestMeta() request: RequestContext): Promise<void> {
    return this.providers.remove(org.id, id, actor, request);
  }
}
