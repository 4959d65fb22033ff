import { Global, Module } from '@nestjs/common';
import { Credentials } from '../../access/access-ports.js';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { AuthController } from './auth.controller.js';
import { BadgeKeysController } from './badge-keys/badge-keys.controller.js';
import { BadgeKeysRepository } from './badge-keys/badge-keys.repository.js';
import { BadgeKeysService } from './badge-keys/badge-keys.service.js';
import { AuthCredentials } from './credentials.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';
import { TokensController } from './tokens.controller.js';
import { TokensRepository } from './tokens.repository.js';
import { TokensService } from './tokens.service.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';
import { IdentityProvidersController } from './token-exchange/identity-providers.controller.js';
import { IdentityProvidersRepository } from './token-exchange/identity-providers.repository.js';
import { IdentityProvidersService } from './token-exchange/identity-providers.service.js';
import { HostResolver, JwksKeys } from './token-exchange/jwks-keys.js';
import { PasswordHasher } from './password.js';
import { TokenExchangeController } from './token-exchange/token-exchange.controller.js';
import { TokenExchangeService } from './token-exchange/token-exchange.service.js';

/**
 * Users, sign-in sessions, API tokens and their exchange for trusted JWTs, badge keys. Global, because every guarded
 * route's guard checks credentials through it (Credentials).
 */
@Global()
@Module({
  imports: [AuditLogModule],
  controllers: [AuthController, TokensController, TokenExchangeController, IdentityProvidersController, BadgeKeysController],
  providers: [
    { provide: Credentials, useClass: AuthCredentials },
    BadgeKeysRepository,
    BadgeKeysService,
    SessionsRepository,
    SessionsService,
    TokensRepository,
    TokensService,
    UsersRepository,
    UsersService,
    IdentityProvidersRepository,
    IdentityProvidersService,
    HostResolver,
    JwksKeys,
    PasswordHasher,
    TokenExchangeService,
  ],
  exports: [Credentials, TokensService, UsersService, IdentityProvidersService],
})
export class AuthModule {}
