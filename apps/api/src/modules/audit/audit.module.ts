import { Module } from '@nestjs/common';
import { AuditLogModule } from './audit-log.module.js';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

/** Reading an org's audit log over HTTP (the writing side is AuditLogModule, which every module that changes something needs). */
@Module({
  imports: [AuditLogModule],
  controllers: [AuditController],
  providers: [AuditService],
})
export class AuditModule {}
