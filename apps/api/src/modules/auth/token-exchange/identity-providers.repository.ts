import { Injectable } from '@nestjs/common';
import type { JSONWebKeySet } from 'jose';
import type { Tx } from '../../../database/transactions.js';

export interface IdentityProvider {
  tenant_id: string;
  id: string;
  issuer: string;
  jwks_uri: string | null;
  jwks: JSONWebKeySet | null;
  audience: string;
  required_claims: Record<string, string>;
  allowed_scopes: string[];
  max_ttl_seconds: number;
  allow_any_subject: boolean;
  created_at: Date;
}

/** A provider as token exchange sees it, with its org's slug. */
export type TrustingProvider = IdentityProvider & { slug: string };

/** An org's trusted issuers, and the trusting orgs of an issuer (before the org is known: "token exchange"). */
@Injectable()
export class IdentityProvidersRepository {
  async insert(tx: Tx, p: Omit<IdentityProvider, 'created_at'>): Promise<IdentityProvider> {
    const [row] = await tx.query<IdentityProvider>(
      /* sql */ `
      INSERT INTO identity_providers (tenant_id, id, issuer, jwks_uri, jwks, audience, required_claims, allowed_scopes, max_ttl_seconds, allow_any_subject)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      RETURNING *`,
      [p.tenant_id, p.id, p.issuer, p.jwks_uri, p.jwks, p.audience, p.required_claims, p.allowed_scopes, p.max_ttl_seconds, p.allow_any_subject],
    );
    return row!;
  }

  async list(tx: Tx, tenantId: string): Promise<IdentityProvider[]> {
    return tx.query<IdentityProvider>(`SELECT * FROM identity_providers WHERE tenant_id = $1 ORDER BY created_at, id`, [tenantId]);
  }

  async delete(tx: Tx, tenantId: string, id: string): Promise<IdentityProvider | undefined> {
    const [row] = await tx.query<IdentityProvider>(`DELETE FROM identity_providers WHERE tenant_id = $1 AND id = $2 RETURNING *`, [tenantId, id]);
    return row;
  }

  /** Cross-tenant: every org that trusts an issuer, with its slug. */
  async trusting(tx: Tx, issuer: string): Promise<TrustingProvider[]> {
    return tx.query(
      /* sql */ `
      SELECT p.*, t.slug
        FROM identity_providers p JOIN tenants t ON t.id = p.tenant_id
       WHERE p.issuer = $1`,
      [issuer],
    );
  }
}
