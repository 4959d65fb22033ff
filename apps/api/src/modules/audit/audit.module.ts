import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { AuditLogModule } from './audit-log.module.js';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

/** Reading an org's audit log over HTTP (the writing side is AuditLogModule, which auth and tenancy need). */
@Module({
  imports: [AuditLogModule, AuthModule, TenancyModule],
  controllers: [AuditController],
  providers: [AuditService],
})
export class AuditModule {}
