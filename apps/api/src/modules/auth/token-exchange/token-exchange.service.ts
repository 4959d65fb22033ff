import { Inject, Injectable, Logger } from '@nestjs/common';
import { isScope, type Scope, type TokenExchangeResponse } from '@dora/domain';
import { decodeJwt, errors, type JWTPayload, jwtVerify } from 'jose';
import type { RequestContext } from '../../../common/request-context.js';
import { unsafeJson } from '../../../common/safe-input.js';
import { TokenBuckets } from '../../../common/token-buckets.js';
import type { AppConfig } from '../../../config/config.js';
import { APP_CONFIG } from '../../../config/config.module.js';
import { isUniqueViolation } from '../../../database/postgres-errors.js';
import { Transactions } from '../../../database/transactions.js';
import { AuditRepository } from '../../audit/audit.repository.js';
import { TokensService } from '../tokens.service.js';
import { IdentityProvidersRepository, type TrustingProvider } from './identity-providers.repository.js';
import { JwksKeys, KeysUnavailableError } from './jwks-keys.js';
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
/** What a stranger learns of any refusal: the reason goes to the org's audit log and the server log only. */
const NOT_ACCEPTED = 'the subject token is not accepted';

/** The provider that accepts a subject token, or why one trusting org refused it (for its audit log). */
type Verdict =
  | { provider: TrustingProvider; claims: JWTPayload; refused?: undefined }
  | { provider: TrustingProvider; refused: string; onlyScope?: boolean; unavailable?: KeysUnavailableError };

/**
 * RFC 8693 token exchange: a CI job's JWT from an issuer an org trusts becomes a short-lived org token
 * with only the granted scopes. No stored secret on the CI side. Tells an unauthenticated caller nothing
 * about which orgs trust what: every refusal of a well-formed request reads the same.
 */
@Injectable()
export class TokenExchangeService {
  private readonly logger = new Logger('TokenExchange');
  private readonly perAddress: TokenBuckets;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly transactions: Transactions,
    private readonly providers: IdentityProvidersRepository,
    private readonly keys: JwksKeys,
    private readonly tokens: TokensService,
    private readonly audit: AuditRepository,
  ) {
    const perMinute = config.tokenExchange.rateLimitPerMinute;
    this.perAddress = new TokenBuckets({ capacity: perMinute, perMinute });
  }

  async exchange(body: Record<string, unknown>, request: RequestContext): Promise<TokenExchangeResponse> {
    const wait = this.perAddress.take(request.ip ?? 'unknown');
    if (wait > 0) throw new OAuthError('temporarily_unavailable', `too many token exchanges from this address; retry in ${wait} s`, 429, wait);
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
    if (scopes.includes('dora:admin')) throw new OAuthError('invalid_scope', 'an exchanged token never carries dora:admin');

    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(subjectToken);
    } catch {
      throw new OAuthError('invalid_request', 'subject_token is not a JWT');
    }
    const issuer = unverified.iss;
    // Claims are looked up and stored as text: one the database cannot hold is refused like any other.
    if (typeof issuer !== 'string' || unsafeJson(unverified)) throw new OAuthError('invalid_grant', NOT_ACCEPTED);
    const audience = field('audience');
    const candidates = await this.transactions.acrossTenants('token exchange', (tx) => this.providers.trusting(tx, issuer));
    const verdicts = await Promise.all(
      candidates.filter((provider) => audience === undefined || provider.slug === audience).map((provider) => this.judge(subjectToken, provider, scopes)),
    );
    const accepting = verdicts.filter((verdict) => verdict.refused === undefined);
    const refusals = verdicts.filter((verdict) => verdict.refused !== undefined);
    if (accepting.length !== 1) await this.recordRefusals(refusals, unverified, request);
    if (accepting.length > 1) throw new OAuthError('invalid_target', 'several organisations accept this subject token: name one in audience');
    const accepted = accepting[0];
    if (!accepted) {
      const unavailable = refusals.find((verdict) => verdict.unavailable)?.unavailable;
      if (unavailable) throw new OAuthError('temporarily_unavailable', "the issuer's keys could not be fetched; try again later", 503, unavailable.retryAfterSeconds);
      // Only to a caller whose token is otherwise accepted: it is the scope that is not granted.
      if (refusals.length > 0 && refusals.every((verdict) => verdict.onlyScope)) throw new OAuthError('invalid_scope', 'the requested scope is not granted to this subject token');
      throw new OAuthError('invalid_grant', NOT_ACCEPTED);
    }
    return this.issue(accepted.provider, accepted.claims, scopes, request);
  }

  /** Signature (the issuer's keys), algorithm, iss, aud, exp, nbf, iat, the org's required claims and scopes. */
  private async judge(token: string, provider: TrustingProvider, scopes: string[]): Promise<Verdict> {
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, this.keys.of(provider), {
        issuer: provider.issuer,
        audience: provider.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_SKEW_SECONDS,
        maxTokenAge: '1 day',
        requiredClaims: ['exp', 'iat', 'sub'],
      }));
    } catch (error) {
      if (error instanceof KeysUnavailableError) return { provider, refused: `the issuer's keys could not be fetched: ${error.reason}`, unavailable: error };
      return { provider, refused: rejectionReason(error, provider) };
    }
    const unmet = firstUnmetClaim(provider.required_claims, claims);
    if (unmet) return { provider, refused: `claim "${unmet}" does not match what the org requires of this issuer` };
    const refusedScope = scopes.find((scope) => !provider.allowed_scopes.includes(scope) || scope === 'dora:admin');
    if (claims.exp! - Date.now() / 1000 < 1) return { provider, refused: 'the subject token has expired' };
    if (refusedScope) return { provider, refused: `the issuer may be granted ${provider.allowed_scopes.join(', ')}, not ${refusedScope}`, onlyScope: true };
    return { provider, claims };
  }

  /** A token for the accepting org, living no longer than the JWT it came from; a JWT id is used once. */
  private async issue(provider: TrustingProvider, claims: JWTPayload, scopes: string[], request: RequestContext): Promise<TokenExchangeResponse> {
    const lifetime = Math.min(provider.max_ttl_seconds, Math.floor(claims.exp! - Date.now() / 1000));
    const subject = claims.sub!;
    const jti = typeof claims.jti === 'string' && claims.jti !== '' ? claims.jti.slice(0, 500) : null;
    try {
      const { secret } = await this.tokens.mint(
        {
          tenantId: provider.tenant_id,
          name: `exchanged: ${subject}`.slice(0, 100),
          scopes: scopes as Scope[],
          expiresAt: new Date(Date.now() + lifetime * 1000),
          createdBy: null,
          exchange: { issuer: provider.issuer, subject, jti, claims: Object.fromEntries(AUDITED_CLAIMS.filter((name) => name in claims).map((name) => [name, claims[name]])) },
        },
        { type: 'system', id: 'token-exchange' },
        request,
      );
      return { access_token: secret, issued_token_type: ISSUED_TOKEN_TYPE, token_type: 'Bearer', expires_in: lifetime, scope: scopes.join(' ') };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await this.recordRefusals([{ provider, refused: `the JWT id ${jti} was exchanged before` }], claims, request);
      throw new OAuthError('invalid_grant', NOT_ACCEPTED);
    }
  }

  /** Each org that refused learns why in its audit log; the server log gets one line per refusal. */
  private async recordRefusals(refusals: { provider: TrustingProvider; refused?: string }[], unverified: JWTPayload, request: RequestContext): Promise<void> {
    for (const { provider, refused } of refusals) {
      this.logger.warn(`exchange refused for org ${provider.slug} (issuer ${provider.issuer}, subject ${String(unverified.sub)}): ${refused}`);
      await this.transactions
        .inTenant(provider.tenant_id, (tx) =>
          this.audit.record(tx, {
            tenantId: provider.tenant_id,
            action: 'auth.token.exchange_refused',
            actor: { type: 'system', id: 'token-exchange' },
            subject: { type: 'identity_provider', id: provider.id },
            request,
            metadata: { issuer: provider.issuer, subject: typeof unverified.sub === 'string' ? unverified.sub.slice(0, 500) : null, reason: refused },
          }),
        )
        // The refusal is answered whatever happens to its record.
        .catch((error: unknown) => this.logger.warn(`could not record a refused exchange for org ${provider.slug}: ${String(error)}`));
    }
  }
}

/** The specific reason a JWT was refused, for the org's audit log (never for the caller). */
function rejectionReason(error: unknown, provider: TrustingProvider): string {
  if (error instanceof errors.JWTExpired) return 'the subject token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    const what = { aud: `its audience is not "${provider.audience}"`, nbf: 'it is not valid yet', iat: 'it claims to be issued in the future or too long ago', iss: 'its issuer does not match' }[error.claim];
    return `the subject token is refused: ${what ?? `claim "${error.claim}": ${error.reason}`}`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return `the subject token's alg is not allowed (only ${ALGORITHMS.join(', ')})`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the subject token signature does not verify with the issuer keys';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer matches the subject token (kid)';
  if (error instanceof errors.JOSEError) return `the subject token is refused: ${error.message}`;
  return `the subject token could not be checked: ${error instanceof Error ? error.message : String(error)}`;
}
