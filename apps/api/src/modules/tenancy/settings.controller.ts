import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import type { DoraSettings } from '@dora/domain';
import { type RequestContext, RequestMeta } from '../../common/request-context.js';
import { AccessGuard, CurrentActor, CurrentOrg, RequiresScope } from '../../access/access.guard.js';
import { type Actor, type Org, settingsOf } from '../../access/principals.js';
import { UpdateSettingsDto } from './dto/update-settings.dto.js';
import { TenantsService } from './tenants.service.js';
import { ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors, ApiOrgRoute } from '../../openapi/decorators.js';

/** An org's settings: its members read them, its admins change them. */
@ApiTags('DORA metrics')
@Controller('api/v1/orgs/:slug/dora/settings')
@UseGuards(AccessGuard)
export class SettingsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @RequiresScope('dora:read')
  @ApiOrgRoute('The default window, the time zone, the lead time basis and the token lifetime policy', 'dora:read')
  @ApiAnswer(200, 'DoraSettings')
  get(@CurrentOrg() org: Org): DoraSettings {
    return settingsOf(org);
  }

  @Put()
  @RequiresScope('dora:admin')
  @ApiOrgRoute('Change the settings (audited)', 'dora:admin')
  @ApiAnswer(200, 'DoraSettings')
  @ApiErrors(400, 415)
  update(
    @CurrentOrg() org: Org,
    @Body() body: UpdateSettingsDto,
    @CurrentActor() actor: Actor,
    @RequestMeta() request: RequestContext,
  ): Promise<DoraSettings> {
    return this.tenants.updateSettings(org, body, actor, request);
  }
}
