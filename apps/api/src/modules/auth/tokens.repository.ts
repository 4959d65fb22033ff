import { Injectable } from '@nestjs/common';
import type { Scope } from '@dora/domain';
import type { Tx } from '../../database/transactions.js';

export interface ApiToken {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  expires_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}

export interface TokenListRow extends ApiToken {
  origin: 'minted' | 'exchanged';
  created_by: string | null;
  created_by_email: string | null;
  issuer: string | null;
  subject: string | null;
  last_used_at: Date | null;
  /** Longer-lived than the org's max_token_lifetime_days allows (minted before the policy). */
  exceeds_policy: boolean;
}

export interface NewApiToken {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: Scope[];
  expiresAt: Date | null;
  createdBy: string | null;
  /** For a token exchanged for an identity provider's JWT: its issuer and subject. */
  exchangedFrom: { issuer: string; subject: string } | null;
}

const COLUMNS = `id, tenant_id, name, prefix, scopes, expires_at, revoked_at, created_at`;

@Injectable()
export class TokensRepository {
  async insert(tx: Tx, token: NewApiToken): Promise<ApiToken> {
    const [row] = await tx.query<ApiToken>(
      /* sql */ `
      INSERT INTO api_tokens (tenant_id, id, name, prefix, token_hash, scopes, expires_at, created_by, origin, issuer, subject)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
      RETURNING ${COLUMNS}`,
      [
        token.tenantId,
        token.id,
        token.name,
        token.prefix,
        token.hash,
        token.scopes,
        token.expiresAt,
        token.createdBy,
        token.exchangedFrom ? 'exchanged' : 'minted',
        token.exchangedFrom?.issuer ?? null,
        token.exchangedFrom?.subject ?? null,
      ],
    );
    return row!;
  }

  async maxLifetimeDays(tx: Tx, tenantId: string): Promise<number | null> {
    const [row] = await tx.query<{ max_token_lifetime_days: number | null }>(`SELECT max_token_lifetime_days FROM tenants WHERE id = $1`, [tenantId]);
    return row?.max_token_lifetime_days ?? null;
  }

  /** An org's tokens, newest first, with who minted them. */
  async list(tx: Tx, tenantId: string): Promise<TokenListRow[]> {
    return tx.query<TokenListRow>(
      /* sql */ `
      SELECT t.id, t.tenant_id, t.name, t.prefix, t.scopes, t.origin, t.created_by, u.email AS created_by_email, t.issuer, t.subject,
             t.expires_at, t.last_used_at, t.revoked_at, t.created_at,
             coalesce(o.max_token_lifetime_days IS NOT NULL AND t.revoked_at IS NULL
                      AND (t.expires_at IS NULL OR t.expires_at > t.created_at + o.max_token_lifetime_days * interval '1 day'), false) AS exceeds_policy
        FROM api_tokens t
        JOIN tenants o ON o.id = t.tenant_id
        LEFT JOIN users u ON u.id = t.created_by
       WHERE t.tenant_id = $1
       ORDER BY t.created_at DESC, t.id DESC`,
      [tenantId],
    );
  }

  /** Cross-tenant: the candidates for a presented secret, before its tenant is known. */
  async findByPrefix(tx: Tx, prefix: string): Promise<(ApiToken & { token_hash: string })[]> {
    return tx.query(`SELECT ${COLUMNS}, token_hash FROM api_tokens WHERE prefix = $1`, [prefix]);
  }

  /** Cross-tenant (operator CLI): tokens are named by id alone there. */
  async findById(tx: Tx, id: string): Promise<ApiToken | undefined> {
    const [row] = await tx.query<ApiToken>(`SELECT ${COLUMNS} FROM api_tokens WHERE id = $1`, [id]);
    return row;
  }

  /** Answers the revoked token, or `undefined` when it was already revoked. */
  async revoke(tx: Tx, tenantId: string, id: string): Promise<ApiToken | undefined> {
    const [row] = await tx.query<ApiToken>(
      `UPDATE api_tokens SET revoked_at = now()
        WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL
        RETURNING ${COLUMNS}`,
      [tenantId, id],
    );
    return row;
  }

  /** Records a use, at most once a minute per token whichever process serves it. */
  async touchLastUsed(tx: Tx, tenantId: string, id: string): Promise<void> {
    await tx.execute(
      `UPDATE api_tokens SET last_used_at = now()
        WHERE tenant_id = $1 AND id = $2 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [tenantId, id],
    );
  }
}
