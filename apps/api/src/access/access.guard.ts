import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Scope, scopesOfRole } from '@dora/domain';
import type { Request } from 'express';
import { DomainError } from '../common/errors.js';
import { Credentials, OrgLookup } from './access-ports.js';
import type { Actor, Org, Principal, SessionPrincipal, TokenPrincipal } from './principals.js';

declare module 'express' {
  interface Request {
    principal?: Principal;
    org?: Org;
  }
}

/** The scope a route needs: of a token, or through a signed-in member's role (viewer: dora:read; admin: also dora:admin). */
export const RequiresScope = Reflector.createDecorator<Scope>();

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every API route's access check (DESIGN §7): a bearer token (401 if it is not a valid one), else a
 * session cookie. On routes under `/orgs/:slug` the org is resolved among the caller's own — another
 * org's slug is the same 404 as none — and then the route's scope is checked (403). A session's
 * requests that change something need its CSRF token.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: Credentials,
    private readonly orgs: OrgLookup,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const scope = this.reflector.get(RequiresScope, context.getHandler());
    const slug = typeof request.params.slug === 'string' ? request.params.slug : undefined;
    const authorization = request.header('authorization');

    if (authorization !== undefined || slug === undefined) {
      if (!authorization) throw new DomainError('unauthenticated', 'Missing "Authorization: Bearer <token>" header');
      const match = /^Bearer +(\S+) *$/i.exec(authorization);
      if (!match) throw new DomainError('unauthenticated', 'The Authorization header must be "Bearer <token>"');
      const token = await this.credentials.authenticateToken(match[1]!);
      this.credentials.noteTokenUse(token);
      if (slug !== undefined) request.org = await this.orgs.findOwnOrg(token.tenantId, slug);
      if (scope && !token.scopes.includes(scope)) throw new DomainError('forbidden', `This token does not have the scope "${scope}"`);
      request.principal = token;
      return true;
    }

    const session = await this.sessionOf(request);
    const membership = session.memberships.find((m) => m.slug === slug);
    if (!membership) throw new DomainError('not_found', `No org with the slug "${slug}"`);
    if (scope && !scopesOfRole(membership.role).includes(scope)) {
      throw new DomainError('forbidden', `Only an admin of "${slug}" can do this`);
    }
    if (!SAFE_METHODS.has(request.method)) this.credentials.checkCsrf(session, request.header('x-csrf-token'));
    request.org = {
      id: membership.tenant_id,
      slug: membership.slug,
      name: membership.name,
      window_days: membership.window_days,
      timezone: membership.timezone,
      lead_time_basis: membership.lead_time_basis,
      max_token_lifetime_days: membership.max_token_lifetime_days,
      config_version: membership.config_version,
    };
    request.principal = session;
    return true;
  }

  private async sessionOf(request: Request): Promise<SessionPrincipal> {
    const session = await this.credentials.sessionFromCookie(request.headers.cookie);
    if (!session) throw new DomainError('unauthenticated', 'Sign in first (or send an API token: Authorization: Bearer ffp_...)');
    return session;
  }
}

/** For the routes of one's own session (`/auth/me`, `/auth/logout`): a live session, and its CSRF token on changes. */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(private readonly credentials: Credentials) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const session = await this.credentials.sessionFromCookie(request.headers.cookie);
    if (!session) throw new DomainError('unauthenticated', 'Not signed in');
    if (!SAFE_METHODS.has(request.method)) this.credentials.checkCsrf(session, request.header('x-csrf-token'));
    request.principal = session;
    return true;
  }
}

/** The API token of a token-only route (ingest). */
export const CurrentToken = createParamDecorator((_: unknown, context: ExecutionContext): TokenPrincipal => {
  const principal = context.switchToHttp().getRequest<Request>().principal;
  if (principal?.kind !== 'token') throw new Error('CurrentToken used on a route that does not require a token');
  return principal;
});

export const CurrentSession = createParamDecorator((_: unknown, context: ExecutionContext): SessionPrincipal => {
  const principal = context.switchToHttp().getRequest<Request>().principal;
  if (principal?.kind !== 'user') throw new Error('CurrentSession used on a route without SessionGuard');
  return principal;
});

/** Who acts, for the audit log: the token or the signed-in user. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const principal = context.switchToHttp().getRequest<Request>().principal;
  if (!principal) throw new Error('CurrentActor used on a route without AccessGuard');
  return principal.kind === 'token' ? { type: 'token', id: principal.tokenId } : { type: 'user', id: principal.userId };
});

export const CurrentOrg = createParamDecorator((_: unknown, context: ExecutionContext): Org => {
  const org = context.switchToHttp().getRequest<Request>().org;
  if (!org) throw new Error('CurrentOrg used on a route without :slug and AccessGuard');
  return org;
});
