import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import type { AuditEventItem, Page } from '@dora/domain';
import { AccessGuard, CurrentOrg, RequiresScope } from '../../access/access.guard.js';
import type { Org } from '../../access/principals.js';
import { AuditService } from './audit.service.js';
import { AuditQueryDto } from './dto/audit-query.dto.js';
import { ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors, ApiOrgRoute } from '../../openapi/decorators.js';

@ApiTags('Audit log')
@Controller('api/v1/orgs/:slug/audit')
@UseGuards(AccessGuard)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequiresScope('dora:read')
  @ApiOrgRoute('The org’s audit log, newest first', 'dora:read')
  @ApiAnswer(200, 'AuditPage')
  @ApiErrors(400)
  list(@CurrentOrg() org: Org, @Query() query: AuditQueryDto): Promise<Page<AuditEventItem>> {
    return this.audit.list(org.id, query);
  }
}
