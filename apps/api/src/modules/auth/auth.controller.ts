import { Body, Controller, Get, HttpCode, Inject, Post, Res, UseGuards } from '@nestjs/common';
import type { Me } from '@dora/domain';
import type { Response } from 'express';
import { type RequestContext, RequestMeta } from '../../common/request-context.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { CurrentSession, SessionGuard } from '../../access/access.guard.js';
import { LoginDto } from './dto/login.dto.js';
import type { SessionPrincipal } from '../../access/principals.js';
import { SessionsService, sessionCookieOf } from './sessions.service.js';
import { ApiCookieAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors } from '../../openapi/decorators.js';

@ApiTags('Auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Signs in: the session is an HttpOnly cookie; the answer names the user, their orgs and the CSRF token. */
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in: sets the HttpOnly session cookie; answers the user, their orgs and the CSRF token' })
  @ApiAnswer(200, 'Me')
  @ApiErrors(400, 401, 415, 429)
  async login(@Body() body: LoginDto, @RequestMeta() request: RequestContext, @Res({ passthrough: true }) response: Response): Promise<Me> {
    const { secret, me } = await this.sessions.login(body.email, body.password, request);
    const cookie = sessionCookieOf(this.config);
    response.cookie(cookie.name, secret, { httpOnly: true, sameSite: 'lax', secure: cookie.secure, path: '/', maxAge: this.config.sessionTtlMs });
    return me;
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out (needs X-CSRF-Token)' })
  @ApiCookieAuth('session')
  @ApiResponse({ status: 204, description: 'Signed out; the cookie is cleared' })
  @ApiErrors(401, 403)
  @UseGuards(SessionGuard)
  async logout(@CurrentSession() session: SessionPrincipal, @RequestMeta() request: RequestContext, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.sessions.logout(session, request);
    const cookie = sessionCookieOf(this.config);
    response.clearCookie(cookie.name, { path: '/', secure: cookie.secure, httpOnly: true, sameSite: 'lax' });
  }

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user, their orgs and roles, and the CSRF token' })
  @ApiCookieAuth('session')
  @ApiAnswer(200, 'Me')
  @ApiErrors(401)
  @UseGuards(SessionGuard)
  me(@CurrentSession() session: SessionPrincipal): Me {
    return this.sessions.me(session);
  }
}
