import { Injectable } from '@nestjs/common';
import type { IdentityProviderItem } from '@dora/domain';
import type { JSONWebKeySet } from 'jose';
import { uuidv7 } from 'uuidv7';
import { DomainError } from '../../../common/errors.js';
import type { RequestContext } from '../../../common/request-context.js';
import { isUuid } from '../../../common/uuid.js';
import { isUniqueViolation } from '../../../database/postgres-errors.js';
import { Transactions } from '../../../database/transactions.js';
import { AuditRepository } from '../../audit/audit.repository.js';
import type { Actor } from '../../../access/principals.js';
import type { CreateIdentityProviderDto } from './dto/create-identity-provider.dto.js';
import { type IdentityProvider, IdentityProvidersRepository } from './identity-providers.repository.js';
import { JwksKeys } from './jwks-keys.js';
import { MAX_GLOB_LENGTH } from '@dora/domain';

/** An org's trusted issuers: registered and removed by its admins, audited. */
@Injectable()
export class IdentityProvidersService {
  constructor(
    private readonly transactions: Transactions,
    private readonly providers: IdentityProvidersRepository,
    private readonly audit: AuditRepository,
    private readonly keys: JwksKeys,
  ) {}

  async list(tenantId: string): Promise<IdentityProviderItem[]> {
    const rows = await this.transactions.inTenant(tenantId, (tx) => this.providers.list(tx, tenantId));
    return rows.map(toItem);
  }

  async add(tenantId: string, input: CreateIdentityProviderDto, actor: Actor, request?: RequestContext): Promise<IdentityProviderItem> {
    if ((input.jwks_uri === undefined) === (input.jwks === undefined)) {
      throw invalid('jwks_uri', 'give exactly one of jwks_uri and jwks');
    }
    if (input.jwks_uri !== undefined) {
      const problem = await this.keys.registrationProblem(input.jwks_uri);
      if (problem) throw invalid('jwks_uri', problem);
    }
    if (input.jwks !== undefined && !(Array.isArray(input.jwks.keys) && input.jwks.keys.length > 0)) {
      throw invalid('jwks', 'must be a JWK set: { "keys": [ ... ] }');
    }
    const claims = input.required_claims ?? {};
    if (Object.values(claims).some((value) => typeof value !== 'string' || value === '' || value.length > MAX_GLOB_LENGTH)) {
      throw invalid('required_claims', `must map claim names to non-empty strings of at most ${MAX_GLOB_LENGTH} characters (exact values or globs)`);
    }
    if (Object.keys(claims).length === 0 && input.allow_any_subject !== true) {
      throw invalid(
        'required_claims',
        'must bind the issuer to your own workloads (e.g. repository_owner=<your org>); to trust every subject of the issuer, pass allow_any_subject: true',
      );
    }
    if (input.allowed_scopes?.includes('dora:admin')) throw invalid('allowed_scopes', 'must not include dora:admin: an exchanged token never administers the org');
    try {
      return await this.transactions.inTenant(tenantId, async (tx) => {
        const row = await this.providers.insert(tx, {
          tenant_id: tenantId,
          id: uuidv7(),
          issuer: input.issuer,
          jwks_uri: input.jwks_uri ?? null,
          jwks: (input.jwks as JSONWebKeySet | undefined) ?? null,
          audience: input.audience,
          required_claims: claims,
          allowed_scopes: input.allowed_scopes ?? ['findings:write'],
          max_ttl_seconds: input.max_ttl_seconds ?? 900,
          allow_any_subject: Object.keys(claims).length === 0,
        });
        await this.audit.record(tx, {
          tenantId,
          action: 'identity_provider.added',
          actor,
          subject: { type: 'identity_provider', id: row.id },
          request,
          metadata: {
            issuer: row.issuer,
            audience: row.audience,
            required_claims: row.required_claims,
            allowed_scopes: row.allowed_scopes,
            max_ttl_seconds: row.max_ttl_seconds,
            allow_any_subject: row.allow_any_subject,
          },
        });
        return toItem(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('conflict', `This org already trusts the issuer ${input.issuer}`);
      throw error;
    }
  }

  async remove(tenantId: string, id: string, actor: Actor, request?: RequestContext): Promise<void> {
    const notFound = new DomainError('not_found', `No identity provider ${id} in this org`);
    if (!isUuid(id)) throw notFound;
    await this.transactions.inTenant(tenantId, async (tx) => {
      const removed = await this.providers.delete(tx, tenantId, id);
      if (!removed) throw notFound;
      await this.audit.record(tx, {
        tenantId,
        action: 'identity_provider.removed',
        actor,
        subject: { type: 'identity_provider', id },
        request,
        metadata: { issuer: removed.issuer },
      });
    });
  }
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('validation_failed', `${field} ${message}`, [{ field, message }]);
}

function toItem(row: IdentityProvider): IdentityProviderItem {
  return {
    id: row.id,
    issuer: row.issuer,
    jwks_uri: row.jwks_uri,
    inline_jwks: row.jwks !== null,
    audience: row.audience,
    required_claims: row.required_claims,
    allowed_scopes: row.allowed_scopes,
    max_ttl_seconds: row.max_ttl_seconds,
    allow_any_subject: row.allow_any_subject,
    created_at: row.created_at.toISOString(),
  };
}
