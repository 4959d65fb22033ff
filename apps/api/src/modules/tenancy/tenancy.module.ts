import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { TenantsRepository } from './tenants.repository.js';
import { TenantsService } from './tenants.service.js';

@Module({
  imports: [AuditLogModule],
  providers: [TenantsRepository, TenantsService],
  exports: [TenantsService],
})
export class TenancyModule {}
