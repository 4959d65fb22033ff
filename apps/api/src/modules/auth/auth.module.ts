import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { TokenAuthGuard } from './token-auth.guard.js';
import { TokensRepository } from './tokens.repository.js';
import { TokensService } from './tokens.service.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [AuditModule],
  providers: [TokensRepository, TokensService, TokenAuthGuard, UsersRepository, UsersService],
  exports: [TokensService, TokenAuthGuard, UsersService],
})
export class AuthModule {}
