import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import type { IdentityProviderItem } from '@dora/domain';
import { type RequestContext, RequestMeta } from '../../../common/request-context.js';
import type { AuditActor } from '../../audit/audit.repository.js';
import type { Org } from '../../tenancy/tenants.repository.js';
import { AccessGuard, CurrentActor, CurrentOrg, RequiresScope } from '../access.guard.js';
import { CreateIdentityProviderDto } from './dto/create-identity-provider.dto.js';
import { IdentityProvidersService } from './identity-providers.service.js';

/** The issuers an org trusts for token exchange, for its admins. */
@Controller('api/v1/orgs/:slug/identity-providers')
@UseGuards(AccessGuard)
export class IdentityProvidersController {
  constructor(private readonly providers: IdentityProvidersService) {}

  @Get()
  @RequiresScope('dora:admin')
  list(@CurrentOrg() org: Org): Promise<{ items: IdentityProviderItem[] }> {
    return this.providers.list(org.id).then((items) => ({ items }));
  }

  @Post()
  @RequiresScope('dora:admin')
  add(@CurrentOrg() org: Org, @Body() body: CreateIdentityProviderDto, @CurrentActor() actor: AuditActor, @RequestMeta() request: RequestContext): Promise<IdentityProviderItem> {
    return this.providers.add(org.id, body, actor, request);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequiresScope('dora:admin')
  remove(@CurrentOrg() org: Org, @Param('id') id: string, @CurrentActor() actor: AuditActor, @RequestMeta() request: RequestContext): Promise<void> {
    return this.providers.remove(org.id, id, actor, request);
  }
}
