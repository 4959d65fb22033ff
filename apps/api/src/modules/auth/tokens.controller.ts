import { Body, Controller, Delete, Get, Param, Post, UseGuards } from '@nestjs/common';
import type { ApiTokenItem, MintedToken, RevokedToken, RotatedToken, Scope } from '@dora/domain';
import { type RequestContext, RequestMeta } from '../../common/request-context.js';
import type { Actor } from '../../access/principals.js';
import type { Org } from '../../access/principals.js';
import { AccessGuard, CurrentActor, CurrentOrg, RequiresScope } from '../../access/access.guard.js';
import { MintTokenDto, RotateTokenDto } from './dto/mint-token.dto.js';
import { toTokenItem, TokensService } from './tokens.service.js';
import { ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors, ApiOrgRoute } from '../../openapi/decorators.js';

/** An org's API tokens, for its admins (DESIGN §7). */
@ApiTags('Tokens')
@Controller('api/v1/orgs/:slug/tokens')
@UseGuards(AccessGuard)
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Get()
  @RequiresScope('dora:admin')
  @ApiOrgRoute('The org’s API tokens (never their secrets)', 'dora:admin')
  @ApiAnswer(200, 'ApiTokenList')
  list(@CurrentOrg() org: Org): Promise<{ items: ApiTokenItem[] }> {
    return this.tokens.list(org.id).then((items) => ({ items }));
  }

  /** 201 with the secret, shown this once. */
  @Post()
  @RequiresScope('dora:admin')
  @ApiOrgRoute('Mint a token (audited); the secret is in the answer once', 'dora:admin')
  @ApiAnswer(201, 'MintedToken', 'Minted')
  @ApiErrors(400, 415)
  async mint(
    @CurrentOrg() org: Org,
    @Body() body: MintTokenDto,
    @CurrentActor() actor: Actor,
    @RequestMeta() request: RequestContext,
  ): Promise<MintedToken> {
    const days = body.expires_in_days ?? null;
    const { token, secret } = await this.tokens.mint(
      {
        tenantId: org.id,
        name: body.name,
        scopes: body.scopes as Scope[],
        expiresAt: days === null ? null : new Date(Date.now() + days * 86_400_000),
        createdBy: actor.type === 'user' ? actor.id : null,
      },
      actor,
      request,
    );
    return { token: toTokenItem(token), secret };
  }

  /** 201 with the new secret, shown this once; the old one works until the grace period ends. */
  @Post(':id/rotate')
  @RequiresScope('dora:admin')
  @ApiOrgRoute('Rotate a token (audited): a new secret under the same name, scopes and lifetime; the old one works for grace_hours more', 'dora:admin')
  @ApiAnswer(201, 'RotatedToken', 'Rotated')
  @ApiErrors(400, 404, 409, 415)
  rotate(@CurrentOrg() org: Org, @Param('id') id: string, @Body() body: RotateTokenDto, @CurrentActor() actor: Actor, @RequestMeta() request: RequestContext): Promise<RotatedToken> {
    return this.tokens.rotate(org.id, id, body.grace_hours ?? 24, actor, request);
  }

  @Delete(':id')
  @RequiresScope('dora:admin')
  @ApiOrgRoute('Revoke a token (audited)', 'dora:admin')
  @ApiAnswer(200, 'RevokedToken')
  @ApiErrors(409)
  async revoke(@CurrentOrg() org: Org, @Param('id') id: string, @CurrentActor() actor: Actor, @RequestMeta() request: RequestContext): Promise<RevokedToken> {
    const revoked = await this.tokens.revokeInOrg(org.id, id, actor, request);
    return { id: revoked.id, revoked_at: revoked.revoked_at!.toISOString() };
  }
}
