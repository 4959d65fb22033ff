import { Controller, Header, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import type { TokenExchangeResponse } from '@dora/domain';
import type { Request } from 'express';
import { type RequestContext, RequestMeta } from '../../../common/request-context.js';
import { DomainError, httpStatusOf } from '../../../common/errors.js';
import { OAuthError, OAuthErrorFilter } from './oauth-error.js';
import { TokenExchangeService } from './token-exchange.service.js';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiAnswer } from '../../../openapi/decorators.js';

/** RFC 8693 token exchange; form-encoded (as OAuth clients send) or JSON. */
@ApiTags('Auth')
@Controller('api/v1/auth/token-exchange')
@UseFilters(OAuthErrorFilter)
export class TokenExchangeController {
  constructor(private readonly exchange: TokenExchangeService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'RFC 8693 token exchange: a trusted JWT for a short-lived org token',
    description: 'Form-encoded (or JSON): grant_type=urn:ietf:params:oauth:grant-type:token-exchange, subject_token=<JWT>, subject_token_type=urn:ietf:params:oauth:token-type:jwt (or id_token), scope=findings:write, audience=<org slug> (optional when one org trusts the issuer). Errors are OAuth’s.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ schema: { type: 'object', required: ['grant_type', 'subject_token', 'subject_token_type'], properties: { grant_type: { type: 'string' }, subject_token: { type: 'string' }, subject_token_type: { type: 'string' }, scope: { type: 'string' }, audience: { type: 'string' } } } })
  @ApiAnswer(200, 'TokenExchangeResponse')
  @ApiResponse({ status: 400, description: 'OAuth error', schema: { $ref: '#/components/schemas/OAuthErrorBody' } })
  @ApiResponse({ status: 503, description: 'The issuer’s keys could not be fetched', schema: { $ref: '#/components/schemas/OAuthErrorBody' } })
  @Header('Cache-Control', 'no-store')
  issue(@Req() http: Request, @RequestMeta() request: RequestContext): Promise<TokenExchangeResponse> {
    if (http.bodyError instanceof DomainError) throw new OAuthError('invalid_request', http.bodyError.message, httpStatusOf(http.bodyError.code));
    if (http.bodyError) throw http.bodyError;
    return this.exchange.exchange(parameters(http.headers['content-type'] ?? '', http.body as Buffer), request);
  }
}

/**
 * The request's parameters, from a form (what OAuth clients send) or a JSON object. Unrecognised ones
 * are ignored (RFC 6749 §3.2); the recognised ones are only compared, and the JWT's claims, which are
 * looked up as text, are checked where they are read.
 */
function parameters(contentType: string, body: Buffer): Record<string, unknown> {
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  if (/^application\/json/i.test(contentType)) {
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      throw new OAuthError('invalid_request', 'the body is not valid JSON');
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    throw new OAuthError('invalid_request', 'the body must be a JSON object');
  }
  throw new OAuthError('invalid_request', 'send the parameters as application/x-www-form-urlencoded (or JSON)');
}
