import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { TeamsModule } from '../teams/teams.module.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { BatchIngestService } from './batch-ingest.service.js';
import { DeploymentBatchesRepository } from './deployment-batches.repository.js';
import { IngestRateLimit, IngestRateLimitGuard } from './ingest-rate-limit.guard.js';
import { IngestController } from './ingest.controller.js';
import { IngestService } from './ingest.service.js';
import { ReporterController } from './reporter.controller.js';

@Module({
  imports: [AuditLogModule, TeamsModule],
  controllers: [IngestController, ReporterController],
  providers: [BatchIngestService, DeploymentBatchesRepository, DeploymentsRepository, IngestService, IngestRateLimit, IngestRateLimitGuard],
  exports: [IngestService],
})
export class IngestModule {}
