import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { TeamsModule } from '../teams/teams.module.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { IngestRateLimitGuard } from './ingest-rate-limit.guard.js';
import { IngestController } from './ingest.controller.js';
import { IngestService } from './ingest.service.js';

@Module({
  imports: [AuditLogModule, TeamsModule],
  controllers: [IngestController],
  providers: [DeploymentsRepository, IngestService, IngestRateLimitGuard],
  exports: [IngestService],
})
export class IngestModule {}
