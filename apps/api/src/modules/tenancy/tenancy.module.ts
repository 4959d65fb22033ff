import { Global, Module } from '@nestjs/common';
import { OrgLookup } from '../../access/access-ports.js';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { SettingsController } from './settings.controller.js';
import { TenantsRepository } from './tenants.repository.js';
import { TenantsService } from './tenants.service.js';

/** Orgs and their settings; global, because every org-scoped route's guard looks its org up (OrgLookup). */
@Global()
@Module({
  imports: [AuditLogModule],
  controllers: [SettingsController],
  providers: [TenantsRepository, TenantsService, { provide: OrgLookup, useExisting: TenantsService }],
  exports: [TenantsService, OrgLookup],
})
export class TenancyModule {}
