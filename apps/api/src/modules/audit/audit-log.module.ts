import { Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository.js';

/** Writing to the audit log, for every module (inside their own transactions). */
@Module({
  providers: [AuditRepository],
  exports: [AuditRepository],
})
export class AuditLogModule {}
