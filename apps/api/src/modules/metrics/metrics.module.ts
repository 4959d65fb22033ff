import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRepository } from './metrics.repository.js';
import { MetricsService } from './metrics.service.js';
import { SettingsController } from './settings.controller.js';

@Module({
  imports: [AuthModule, AuditLogModule, TenancyModule],
  controllers: [MetricsController, SettingsController],
  providers: [MetricsRepository, MetricsService],
})
export class MetricsModule {}
