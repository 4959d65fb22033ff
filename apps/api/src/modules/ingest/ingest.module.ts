import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { IngestRateLimitGuard } from './ingest-rate-limit.guard.js';
import { IngestController } from './ingest.controller.js';
import { IngestService } from './ingest.service.js';

@Module({
  imports: [AuthModule, AuditModule],
  controllers: [IngestController],
  providers: [DeploymentsRepository, IngestService, IngestRateLimitGuard],
})
export class IngestModule {}
