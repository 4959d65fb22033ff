import { Injectable, Logger } from '@nestjs/common';
import type { ApiTokenItem, RotatedToken, Scope } from '@dora/domain';
import { uuidv7 } from 'uuidv7';
import { DomainError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { isUuid } from '../../common/uuid.js';
import { Transactions, type Tx } from '../../database/transactions.js';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Actor, TokenPrincipal } from '../../access/principals.js';
import { generateTokenSecret, hashTokenSecret, prefixOf, secretMatchesHash } from './token-secret.js';
import { type ApiToken, type TokenListRow, TokensRepository } from './tokens.repository.js';

export interface MintTokenInput {
  tenantId: string;
  name: string;
  scopes: Scope[];
  expiresAt: Date | null;
  createdBy: string | null;
  /** A token exchanged for a trusted JWT (RFC 8693): where it came from, audited as auth.token.exchanged. */
  exchange?: { issuer: string; subject: string; jti: string | null; claims: Record<string, unknown> };
}

const LAST_USED_GRANULARITY_MS = 60_000;
const DAY_MS = 86_400_000;
/** A live token that stops working within this is marked `expires_soon`. */
const EXPIRES_SOON_MS = 14 * DAY_MS;
/**
 * How long a process trusts a token's row once read (DESIGN §7): a revocation, a rotation or a lifetime
 * policy made by another process is seen within this; one made by this process at once.
 */
export const TOKEN_RECHECK_MS = 5_000;
const VERIFIED_TOKENS_MAX = 10_000;

/** A token's row as verified, with its org's lifetime policy: what a request's checks need. */
type VerifiedToken = Pick<ApiToken, 'id' | 'tenant_id' | 'name' | 'scopes' | 'revoked_at' | 'expires_at' | 'created_at'> & {
  max_token_lifetime_days: number | null;
  readAt: number;
};

@Injectable()
export class TokensService {
  private readonly logger = new Logger(TokensService.name);
  /** When this process last wrote `last_used_at` per token: keeps the write off the hot path. */
  private readonly lastUseWritten = new Map<string, number>();
  /** Live tokens read in the last TOKEN_RECHECK_MS, by the hash of their secret: a request needs no lookup. */
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    private readonly transactions: Transactions,
    private readonly tokens: TokensRepository,
    private readonly audit: AuditRepository,
  ) {}

  /** Creates a token; the secret is in the answer and nowhere else: only its hash is stored. */
  async mint(input: MintTokenInput, actor: Actor, request?: RequestContext): Promise<{ token: TokenListRow; secret: string }> {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) {
      throw new DomainError('validation_failed', 'A token name has 1-100 characters', [{ field: 'name', message: 'must have 1-100 characters' }]);
    }
    if (input.scopes.length === 0) {
      throw new DomainError('validation_failed', 'A token needs at least one scope', [{ field: 'scopes', message: 'must not be empty' }]);
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw new DomainError('validation_failed', 'A token cannot expire in the past', [{ field: 'expires_at', message: 'must be in the future' }]);
    }
    const { secret, prefix, hash } = generateTokenSecret();
    const token = await this.transactions.inTenant(input.tenantId, async (tx) => {
      await this.checkLifetimePolicy(tx, input);
      const created = await this.tokens.insert(tx, {
        id: uuidv7(),
        tenantId: input.tenantId,
        name,
        prefix,
        hash,
        scopes: [...new Set(input.scopes)],
        expiresAt: input.expiresAt,
        createdBy: input.createdBy,
        exchangedFrom: input.exchange ? { issuer: input.exchange.issuer, subject: input.exchange.subject, jti: input.exchange.jti } : null,
      });
      const described = { name: created.name, prefix: created.prefix, scopes: created.scopes, expires_at: created.expires_at };
      await this.audit.record(tx, {
        tenantId: input.tenantId,
        action: input.exchange ? 'auth.token.exchanged' : 'auth.token.created',
        actor,
        subject: { type: 'api_token', id: created.id },
        request,
        metadata: input.exchange ? { ...described, issuer: input.exchange.issuer, subject: input.exchange.subject, claims: input.exchange.claims } : described,
      });
      return created;
    });
    return { token, secret };
  }

  /** The org's max_token_lifetime_days, if set, bounds every token's expiry (exchanged ones last an hour at most). */
  private async checkLifetimePolicy(tx: Tx, input: MintTokenInput): Promise<void> {
    const maxDays = await this.tokens.maxLifetimeDays(tx, input.tenantId);
    if (maxDays === null) return;
    const latest = Date.now() + maxDays * 86_400_000;
    if (input.expiresAt === null || input.expiresAt.getTime() > latest + 60_000) {
      const message = `This org's tokens may live at most ${maxDays} days (max_token_lifetime_days): give an expiry within that`;
      throw new DomainError('validation_failed', message, [{ field: 'expires_in_days', message: `must be at most ${maxDays}` }]);
    }
  }

  /**
   * Verifies a presented secret; every failure is `unauthenticated` with a message that says why. A live
   * token's row is read again after TOKEN_RECHECK_MS; its expiry and its org's lifetime policy are checked
   * on every request.
   */
  async authenticate(secret: string): Promise<TokenPrincipal> {
    const prefix = prefixOf(secret);
    if (!prefix) throw new DomainError('unauthenticated', 'The bearer token is not a valid API token (ffp_...)');
    const hash = hashTokenSecret(secret);
    let token = this.verified.get(hash);
    if (!token || Date.now() - token.readAt >= TOKEN_RECHECK_MS) {
      this.verified.delete(hash);
      token = await this.read(secret, prefix);
      if (this.verified.size >= VERIFIED_TOKENS_MAX) this.verified.delete(this.verified.keys().next().value!);
      if (!token.revoked_at) this.verified.set(hash, token);
    }
    if (token.revoked_at) throw new DomainError('unauthenticated', `This API token was revoked at ${token.revoked_at.toISOString()}`);
    if (token.expires_at && token.expires_at.getTime() <= Date.now()) {
      throw new DomainError('unauthenticated', `This API token expired at ${token.expires_at.toISOString()}`);
    }
    const maxDays = token.max_token_lifetime_days;
    if (maxDays !== null && token.created_at.getTime() + maxDays * DAY_MS <= Date.now()) {
      throw new DomainError('unauthenticated', `This API token is older than its org allows (max_token_lifetime_days: ${maxDays}): rotate it or mint a new one`);
    }
    return { kind: 'token', tokenId: token.id, tenantId: token.tenant_id, name: token.name, scopes: token.scopes };
  }

  private async read(secret: string, prefix: string): Promise<VerifiedToken> {
    const readAt = Date.now();
    const candidates = await this.transactions.readAcrossTenants('token lookup', (tx) => this.tokens.findByPrefix(tx, prefix));
    const token = candidates.find((candidate) => secretMatchesHash(secret, candidate.token_hash));
    if (!token) throw new DomainError('unauthenticated', 'Unknown API token');
    const { id, tenant_id, name, scopes, revoked_at, expires_at, created_at, max_token_lifetime_days } = token;
    return { id, tenant_id, name, scopes, revoked_at, expires_at, created_at, max_token_lifetime_days, readAt };
  }

  /** Reads the org's tokens again at their next use (a change of their rows or of the org's lifetime policy). */
  forgetVerified(tenantId: string): void {
    for (const [hash, token] of this.verified) if (token.tenant_id === tenantId) this.verified.delete(hash);
  }

  /** Records a use outside the caller's transaction, at most once a minute per token and process. */
  noteUse(principal: TokenPrincipal): void {
    const now = Date.now();
    const last = this.lastUseWritten.get(principal.tokenId);
    if (last !== undefined && now - last < LAST_USED_GRANULARITY_MS) return;
    if (this.lastUseWritten.size >= 10_000) {
      for (const [tokenId, at] of this.lastUseWritten) if (now - at >= LAST_USED_GRANULARITY_MS) this.lastUseWritten.delete(tokenId);
    }
    this.lastUseWritten.set(principal.tokenId, now);
    this.transactions
      .inTenant(principal.tenantId, (tx) => this.tokens.touchLastUsed(tx, principal.tenantId, principal.tokenId))
      .catch((error: unknown) => this.logger.warn(`Could not record the use of token ${principal.tokenId}: ${String(error)}`));
  }

  /** Revokes a token named by id alone (the operator CLI); revoking twice is an error that says so. */
  async revoke(tokenId: string, actor: Actor & { type: 'system' }): Promise<ApiToken> {
    if (!isUuid(tokenId)) {
      throw new DomainError('validation_failed', `"${tokenId}" is not a token id (a UUID)`);
    }
    const found = await this.transactions.acrossTenants('operator cli', (tx) => this.tokens.findById(tx, tokenId));
    if (!found) throw new DomainError('not_found', `No API token with the id ${tokenId}`);
    return this.revokeInOrg(found.tenant_id, tokenId, actor);
  }

  /** Rotates a token named by id alone (the operator CLI). */
  async rotateById(tokenId: string, graceHours: number, actor: Actor & { type: 'system' }): Promise<RotatedToken> {
    if (!isUuid(tokenId)) throw new DomainError('validation_failed', `"${tokenId}" is not a token id (a UUID)`);
    const found = await this.transactions.acrossTenants('operator cli', (tx) => this.tokens.findById(tx, tokenId));
    if (!found) throw new DomainError('not_found', `No API token with the id ${tokenId}`);
    return this.rotate(found.tenant_id, tokenId, graceHours, actor);
  }

  /** Revokes one of an org's tokens. */
  async revokeInOrg(tenantId: string, tokenId: string, actor: Actor, request?: RequestContext): Promise<ApiToken> {
    if (!isUuid(tokenId)) throw new DomainError('not_found', `No API token ${tokenId} in this org`);
    const token = await this.transactions.inTenant(tenantId, async (tx) => {
      const revoked = await this.tokens.revoke(tx, tenantId, tokenId);
      if (!revoked) {
        const exists = await this.tokens.findById(tx, tokenId);
        if (!exists) throw new DomainError('not_found', `No API token ${tokenId} in this org`);
        throw new DomainError('conflict', `API token ${tokenId} was already revoked`);
      }
      await this.audit.record(tx, {
        tenantId,
        action: 'auth.token.revoked',
        actor,
        subject: { type: 'api_token', id: tokenId },
        request,
        metadata: { name: revoked.name, prefix: revoked.prefix },
      });
      return revoked;
    });
    this.forgetVerified(tenantId);
    return token;
  }

  /**
   * A new secret under the same name, scopes and lifetime rule (capped by the org's policy); the old secret
   * keeps working for `graceHours`, then stops. Exchanged, revoked and already rotated tokens are not rotated.
   */
  async rotate(tenantId: string, tokenId: string, graceHours: number, actor: Actor, request?: RequestContext): Promise<RotatedToken> {
    const notFound = new DomainError('not_found', `No API token ${tokenId} in this org`);
    if (!isUuid(tokenId)) throw notFound;
    const { secret, prefix, hash } = generateTokenSecret();
    const rotated = await this.transactions.inTenant(tenantId, async (tx) => {
      const old = await this.tokens.lockInOrg(tx, tenantId, tokenId);
      if (!old) throw notFound;
      if (old.revoked_at) throw new DomainError('conflict', `API token ${tokenId} was revoked: mint a new one`);
      if (old.origin === 'exchanged') throw new DomainError('conflict', 'An exchanged token lives minutes: exchange a new one instead of rotating it');
      if (old.replaced_by) throw new DomainError('conflict', `API token ${tokenId} was already rotated (replaced by ${old.replaced_by})`);
      const maxDays = await this.tokens.maxLifetimeDays(tx, tenantId);
      const lifetimeMs = old.expires_at ? old.expires_at.getTime() - old.created_at.getTime() : null;
      const cappedMs = maxDays === null ? lifetimeMs : Math.min(lifetimeMs ?? Infinity, maxDays * DAY_MS);
      const created = await this.tokens.insert(tx, {
        id: uuidv7(),
        tenantId,
        name: old.name,
        prefix,
        hash,
        scopes: old.scopes,
        expiresAt: cappedMs === null ? null : new Date(Date.now() + cappedMs),
        createdBy: actor.type === 'user' ? actor.id : null,
        exchangedFrom: null,
      });
      await this.tokens.replace(tx, tenantId, old.id, created.id, new Date(Date.now() + graceHours * 3_600_000));
      await this.audit.record(tx, {
        tenantId,
        action: 'auth.token.rotated',
        actor,
        subject: { type: 'api_token', id: old.id },
        request,
        metadata: { name: old.name, prefix: old.prefix, new_token_id: created.id, new_prefix: created.prefix, grace_hours: graceHours },
      });
      const previous = await this.tokens.item(tx, tenantId, old.id);
      return { token: toTokenItem(created), secret, previous: toTokenItem(previous!) };
    });
    this.forgetVerified(tenantId); // the old token's new expiry
    return rotated;
  }

  async list(tenantId: string): Promise<ApiTokenItem[]> {
    const rows = await this.transactions.inTenant(tenantId, (tx) => this.tokens.list(tx, tenantId));
    return rows.map(toTokenItem);
  }
}

export function toTokenItem(row: TokenListRow, now = Date.now()): ApiTokenItem {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    origin: row.origin,
    created_by: row.created_by ? { id: row.created_by, email: row.created_by_email } : null,
    issuer: row.issuer,
    subject: row.subject,
    expires_at: row.expires_at?.toISOString() ?? null,
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    exceeds_policy: row.exceeds_policy,
    stops_at: row.stops_at?.toISOString() ?? null,
    expires_soon: row.revoked_at === null && row.stops_at !== null && row.stops_at.getTime() > now && row.stops_at.getTime() - now <= EXPIRES_SOON_MS,
    replaced_by: row.replaced_by,
  };
}
