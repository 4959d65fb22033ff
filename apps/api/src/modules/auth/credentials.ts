import { Injectable } from '@nestjs/common';
import { Credentials } from '../../access/access-ports.js';
import type { SessionPrincipal, TokenPrincipal } from '../../access/principals.js';
import { BadgeKeysService } from './badge-keys/badge-keys.service.js';
import { SessionsService } from './sessions.service.js';
import { TokensService } from './tokens.service.js';

/** The access guard's view of API tokens, sessions and badge keys (provided globally as `Credentials`). */
@Injectable()
export class AuthCredentials extends Credentials {
  constructor(
    private readonly tokens: TokensService,
    private readonly sessions: SessionsService,
    private readonly badgeKeys: BadgeKeysService,
  ) {
    super();
  }

  authenticateToken(secret: string): Promise<TokenPrincipal> {
    return this.tokens.authenticate(secret);
  }

  forgetTokensOf(tenantId: string): void {
    this.tokens.forgetVerified(tenantId);
  }

  noteTokenUse(principal: TokenPrincipal): void {
    this.tokens.noteUse(principal);
  }

  sessionFromCookie(header: string | undefined): Promise<SessionPrincipal | undefined> {
    return this.sessions.fromCookie(header);
  }

  checkCsrf(session: SessionPrincipal, presented: string | undefined): void {
    this.sessions.checkCsrf(session, presented);
  }

  verifyBadgeKey(tenantId: string, key: string): Promise<boolean> {
    return this.badgeKeys.verify(tenantId, key);
  }
}
