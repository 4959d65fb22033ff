import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Scope } from '@dora/domain';
import type { Request } from 'express';
import { DomainError } from '../../common/errors.js';
import type { Org } from '../tenancy/tenants.repository.js';
import { TenantsService } from '../tenancy/tenants.service.js';
import { type TokenPrincipal, TokensService } from './tokens.service.js';

declare module 'express' {
  interface Request {
    principal?: TokenPrincipal;
    org?: Org;
  }
}

/** The scope a route needs from its bearer token. */
export const RequiresScope = Reflector.createDecorator<Scope>();

/**
 * Authenticates `Authorization: Bearer ffp_...` (401), then on routes under `/orgs/:slug` resolves the
 * org among the token's own (404, the same for another org's slug as for none), then checks the
 * route's scope (403). Used by modules that can reach both TokensService and TenantsService.
 */
@Injectable()
export class TokenAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly tenants: TenantsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.header('authorization');
    if (!header) throw new DomainError('unauthenticated', 'Missing "Authorization: Bearer <token>" header');
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (!match) throw new DomainError('unauthenticated', 'The Authorization header must be "Bearer <token>"');
    const principal = await this.tokens.authenticate(match[1]!);
    this.tokens.noteUse(principal);
    const slug = request.params.slug;
    if (typeof slug === 'string') request.org = await this.tenants.findOwnOrg(principal.tenantId, slug);
    const scope = this.reflector.get(RequiresScope, context.getHandler());
    if (scope && !principal.scopes.includes(scope)) {
      throw new DomainError('forbidden', `This token does not have the scope "${scope}"`);
    }
    request.principal = principal;
    return true;
  }
}

export const CurrentToken = createParamDecorator((_: unknown, context: ExecutionContext): TokenPrincipal => {
  const principal = context.switchToHttp().getRequest<Request>().principal;
  if (!principal) throw new Error('CurrentToken used on a route without TokenAuthGuard');
  return principal;
});

export const CurrentOrg = createParamDecorator((_: unknown, context: ExecutionContext): Org => {
  const org = context.switchToHttp().getRequest<Request>().org;
  if (!org) throw new Error('CurrentOrg used on a route without :slug and TokenAuthGuard');
  return org;
});
