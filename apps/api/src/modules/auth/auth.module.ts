import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { AccessGuard, SessionGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';
import { TokensController } from './tokens.controller.js';
import { TokensRepository } from './tokens.repository.js';
import { TokensService } from './tokens.service.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

/** Users, sign-in sessions and API tokens, and the access guard every API route uses. */
@Module({
  imports: [AuditLogModule, TenancyModule],
  controllers: [AuthController, TokensController],
  providers: [AccessGuard, SessionGuard, SessionsRepository, SessionsService, TokensRepository, TokensService, UsersRepository, UsersService],
  exports: [AccessGuard, SessionsService, TokensService, UsersService, TenancyModule],
})
export class AuthModule {}
