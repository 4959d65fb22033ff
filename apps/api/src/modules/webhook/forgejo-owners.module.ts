import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { ForgejoOwnersController } from './forgejo-owners.controller.js';
import { ForgejoOwnersRepository } from './forgejo-owners.repository.js';
import { ForgejoOwnersService } from './forgejo-owners.service.js';

/** Which org each Forgejo owner's releases belong to; apart from the processor, so that the operator CLI can map owners. */
@Module({
  imports: [AuditLogModule],
  controllers: [ForgejoOwnersController],
  providers: [DeliveriesRepository, ForgejoOwnersRepository, ForgejoOwnersService],
  exports: [ForgejoOwnersRepository, ForgejoOwnersService],
})
export class ForgejoOwnersModule {}
