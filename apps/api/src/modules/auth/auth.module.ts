import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { TokensRepository } from './tokens.repository.js';
import { TokensService } from './tokens.service.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

/** Users and API tokens. Its TokenAuthGuard is used by the modules with routes (it also needs TenantsService). */
@Module({
  imports: [AuditLogModule],
  providers: [TokensRepository, TokensService, UsersRepository, UsersService],
  exports: [TokensService, UsersService],
})
export class AuthModule {}
