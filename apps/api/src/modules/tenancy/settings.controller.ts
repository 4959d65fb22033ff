import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import type { DoraSettings } from '@dora/domain';
import { type RequestContext, RequestMeta } from '../../common/request-context.js';
import { CurrentOrg, CurrentToken, RequiresScope, TokenAuthGuard } from '../auth/token-auth.guard.js';
import type { TokenPrincipal } from '../auth/tokens.service.js';
import { UpdateSettingsDto } from './dto/update-settings.dto.js';
import type { Org } from './tenants.repository.js';
import { TenantsService } from './tenants.service.js';

@Controller('api/v1/orgs/:slug/dora/settings')
@UseGuards(TokenAuthGuard)
export class SettingsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @RequiresScope('dora:read')
  get(@CurrentOrg() org: Org): DoraSettings {
    return { window_days: org.window_days, timezone: org.timezone };
  }

  @Put()
  @RequiresScope('dora:admin')
  update(
    @CurrentOrg() org: Org,
    @Body() body: UpdateSettingsDto,
    @CurrentToken() token: TokenPrincipal,
    @RequestMeta() request: RequestContext,
  ): Promise<DoraSettings> {
    return this.tenants.updateSettings(org, body, { type: 'token', id: token.tokenId }, request);
  }
}
