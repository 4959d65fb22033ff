import { Injectable, Logger } from '@nestjs/common';
import { isScope, type Scope, type TokenExchangeResponse } from '@dora/domain';
import { decodeJwt, errors, type JWTPayload, jwtVerify } from 'jose';
import type { RequestContext } from '../../../common/request-context.js';
import { Transactions } from '../../../database/transactions.js';
import { TokensService } from '../tokens.service.js';
import { type IdentityProvider, IdentityProvidersRepository } from './identity-providers.repository.js';
import { JwksKeys } from './jwks-keys.js';
import { OAuthError } from './oauth-error.js';
import { firstUnmetClaim } from './required-claims.js';

const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const SUBJECT_TOKEN_TYPES = ['urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:id_token'];
const ISSUED_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** Asymmetric algorithms only: never `none`, never HS* (a public key must not become a shared secret). */
const ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];
const CLOCK_SKEW_SECONDS = 60;
/** Claims worth keeping in the audit log of an exchange, when the token has them (CI providers' names). */
const AUDITED_CLAIMS = ['aud', 'jti', 'repository', 'repository_owner', 'ref', 'sha', 'workflow', 'workflow_ref', 'job_workflow_ref', 'run_id', 'run_attempt', 'actor', 'environment', 'event_name'];

/**
 * RFC 8693 token exchange: a CI job's JWT from an issuer an org trusts becomes a short-lived org token
 * with only the granted scopes. No stored secret on the CI side.
 */
@Injectable()
export class TokenExchangeService {
  private readonly logger = new Logger('TokenExchange');

  constructor(
    private readonly transactions: Transactions,
    private readonly providers: IdentityProvidersRepository,
    private readonly keys: JwksKeys,
    private readonly tokens: TokensService,
  ) {}

  async exchange(body: Record<string, unknown>, request: RequestContext): Promise<TokenExchangeResponse> {
    const field = (name: string) => (typeof body[name] === 'string' && body[name] !== '' ? (body[name] as string) : undefined);
    const grantType = field('grant_type');
    if (!grantType) throw new OAuthError('invalid_request', 'grant_type is missing');
    if (grantType !== GRANT_TYPE) throw new OAuthError('unsupported_grant_type', `grant_type must be ${GRANT_TYPE}`);
    const subjectToken = field('subject_token');
    if (!subjectToken) throw new OAuthError('invalid_request', 'subject_token is missing');
    const subjectTokenType = field('subject_token_type');
    if (!subjectTokenType || !SUBJECT_TOKEN_TYPES.includes(subjectTokenType)) {
      throw new OAuthError('invalid_request', `subject_token_type must be ${SUBJECT_TOKEN_TYPES.join(' or ')}`);
    }
    const requestedType = field('requested_token_type');
    if (requestedType && requestedType !== ISSUED_TOKEN_TYPE) throw new OAuthError('invalid_request', `requested_token_type can only be ${ISSUED_TOKEN_TYPE}`);
    if (field('actor_token')) throw new OAuthError('invalid_request', 'actor_token (delegation) is not supported');
    const scopes = (field('scope') ?? 'findings:write').split(/\s+/).filter(Boolean);
    const unknownScope = scopes.find((scope) => !isScope(scope));
    if (unknownScope) throw new OAuthError('invalid_scope', `unknown scope "${unknownScope}"`);

    let issuer: string | undefined;
    try {
      issuer = decodeJwt(subjectToken).iss;
    } catch {
      throw new OAuthError('invalid_request', 'subject_token is not a JWT');
    }
    if (!issuer) throw new OAuthError('invalid_grant', 'the subject token has no iss claim');
    const provider = await this.providerFor(issuer, field('audience'));
    const claims = await this.verify(subjectToken, provider);
    const unmet = firstUnmetClaim(provider.required_claims, claims);
    if (unmet) throw new OAuthError('invalid_grant', `claim "${unmet}" does not match what the org requires of this issuer`);
    const refused = scopes.find((scope) => !provider.allowed_scopes.includes(scope));
    if (refused) throw new OAuthError('invalid_scope', `this issuer may be granted ${provider.allowed_scopes.join(', ')}, not ${refused}`);

    const subject = claims.sub!;
    const { secret } = await this.tokens.mint(
      {
        tenantId: provider.tenant_id,
        name: `exchanged: ${subject}`.slice(0, 100),
        scopes: scopes as Scope[],
        expiresAt: new Date(Date.now() + provider.max_ttl_seconds * 1000),
        createdBy: null,
        exchange: { issuer, subject, claims: Object.fromEntries(AUDITED_CLAIMS.filter((name) => name in claims).map((name) => [name, claims[name]])) },
      },
      { type: 'system', id: 'token-exchange' },
      request,
    );
    return { access_token: secret, issued_token_type: ISSUED_TOKEN_TYPE, token_type: 'Bearer', expires_in: provider.max_ttl_seconds, scope: scopes.join(' ') };
  }

  /** The trusting org: the one named in `audience`, or the only one that trusts the issuer. */
  private async providerFor(issuer: string, audience: string | undefined): Promise<IdentityProvider> {
    const trusting = await this.transactions.acrossTenants('token exchange', (tx) => this.providers.trusting(tx, issuer));
    if (trusting.length === 0) throw new OAuthError('invalid_grant', `no organisation trusts the issuer ${issuer}`);
    const candidates = audience === undefined ? trusting : trusting.filter((provider) => provider.slug === audience);
    if (candidates.length === 0) throw new OAuthError('invalid_target', `the organisation "${audience}" does not trust the issuer ${issuer}`);
    if (candidates.length > 1) throw new OAuthError('invalid_target', 'several organisations trust this issuer: name one in audience');
    return candidates[0]!;
  }

  /** Signature (the issuer's keys), algorithm, iss, aud, exp, nbf and iat, with a small clock skew allowed. */
  private async verify(token: string, provider: IdentityProvider): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, this.keys.of(provider), {
        issuer: provider.issuer,
        audience: provider.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_SKEW_SECONDS,
        maxTokenAge: '1 day',
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      return payload;
    } catch (error) {
      throw this.rejection(error, provider);
    }
  }

  private rejection(error: unknown, provider: IdentityProvider): OAuthError {
    if (error instanceof errors.JWTExpired) return new OAuthError('invalid_grant', 'the subject token has expired');
    if (error instanceof errors.JWTClaimValidationFailed) {
      const what = { aud: `its audience is not "${provider.audience}"`, nbf: 'it is not valid yet', iat: 'it claims to be issued in the future or too long ago', iss: 'its issuer does not match' }[error.claim];
      return new OAuthError('invalid_grant', `the subject token is refused: ${what ?? `claim "${error.claim}": ${error.reason}`}`);
    }
    if (error instanceof errors.JOSEAlgNotAllowed) return new OAuthError('invalid_grant', `the subject token's alg is not allowed (only ${ALGORITHMS.join(', ')})`);
    if (error instanceof errors.JWSSignatureVerificationFailed) return new OAuthError('invalid_grant', 'the subject token signature does not verify with the issuer keys');
    if (error instanceof errors.JWKSNoMatchingKey) return new OAuthError('invalid_grant', 'no key of the issuer matches the subject token (kid)');
    if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || isFetchFailure(error)) {
      this.logger.warn(`the keys of ${provider.issuer} could not be fetched from ${provider.jwks_uri}: ${String(error)}`);
      return new OAuthError('temporarily_unavailable', `the keys of the issuer could not be fetched from ${provider.jwks_uri}; try again`, 503);
    }
    if (error instanceof errors.JOSEError) return new OAuthError('invalid_grant', `the subject token is refused: ${error.message}`);
    throw error;
  }
}

/** fetch's own failure (refused, reset, DNS): a TypeError, checked by name since it may come from another realm. */
function isFetchFailure(error: unknown): boolean {
  return (error as { name?: unknown }).name === 'TypeError' && /fetch failed/.test(String((error as { message?: unknown }).message));
}
