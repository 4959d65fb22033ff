import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { TenantsRepository } from './tenants.repository.js';
import { TenantsService } from './tenants.service.js';

@Module({
  imports: [AuditModule],
  providers: [TenantsRepository, TenantsService],
  exports: [TenantsService],
})
export class TenancyModule {}
