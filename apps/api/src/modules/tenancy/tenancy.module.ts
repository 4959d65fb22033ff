import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { SettingsController } from './settings.controller.js';
import { TenantsRepository } from './tenants.repository.js';
import { TenantsService } from './tenants.service.js';

@Module({
  imports: [AuditLogModule, AuthModule],
  controllers: [SettingsController],
  providers: [TenantsRepository, TenantsService],
  exports: [TenantsService],
})
export class TenancyModule {}
