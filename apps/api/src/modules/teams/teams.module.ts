import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { TeamAttribution } from './team-attribution.js';
import { TeamsController } from './teams.controller.js';
import { TeamsRepository } from './teams.repository.js';
import { TeamsService } from './teams.service.js';

/** Teams, their rules and the attribution of deployments (DESIGN §3): ingest attributes with it, metrics filter by it. */
@Module({
  imports: [AuditLogModule],
  controllers: [TeamsController],
  providers: [TeamsRepository, TeamAttribution, TeamsService],
  exports: [TeamsRepository, TeamAttribution],
})
export class TeamsModule {}
