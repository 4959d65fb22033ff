import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { TeamsModule } from '../teams/teams.module.js';
import { BadgesController } from './badges.controller.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRepository } from './metrics.repository.js';
import { MetricsService } from './metrics.service.js';
import { OrgExposition } from './org-exposition.service.js';
import { ScopeResolver } from './scope-resolver.js';
import { TrendsController } from './trends.controller.js';
import { TrendsRepository } from './trends.repository.js';
import { TrendsService } from './trends.service.js';

@Module({
  imports: [AuditLogModule, TeamsModule],
  controllers: [MetricsController, TrendsController, BadgesController],
  providers: [MetricsRepository, MetricsService, OrgExposition, ScopeResolver, TrendsRepository, TrendsService],
})
export class MetricsModule {}
