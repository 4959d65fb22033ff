import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { DeliveriesController } from './deliveries.controller.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryProcessor } from './delivery-processor.js';
import { ForgejoClient } from './forgejo-client.js';
import { ForgejoOwnersModule } from './forgejo-owners.module.js';
import { WebhookController } from './webhook.controller.js';
import { WebhookService } from './webhook.service.js';

@Module({
  imports: [AuditLogModule, IngestModule, ForgejoOwnersModule],
  controllers: [WebhookController, DeliveriesController],
  providers: [DeliveriesRepository, DeliveryProcessor, ForgejoClient, WebhookService],
})
export class WebhookModule {}
