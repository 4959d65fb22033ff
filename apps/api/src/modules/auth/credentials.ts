import { Injectable } from '@nestjs/common';
import { Credentials } from '../../access/access-ports.js';
import type { SessionPrincipal, TokenPrincipal } from '../../access/principals.js';
import { SessionsService } from './sessions.service.js';
import { TokensService } from './tokens.service.js';

/** The access guard's view of API tokens and sessions (provided globally as `Credentials`). */
@Injectable()
export class AuthCredentials extends Credentials {
  constructor(
    private readonly tokens: TokensService,
    private readonly sessions: SessionsService,
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
}
