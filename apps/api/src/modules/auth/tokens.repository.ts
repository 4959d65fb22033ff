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
}

const COLUMNS = `id, tenant_id, name, prefix, scopes, expires_at, revoked_at, created_at`;

@Injectable()
export class TokensRepository {
  async insert(tx: Tx, token: NewApiToken): Promise<ApiToken> {
    const [row] = await tx.query<ApiToken>(
      /* sql */ `
      INSERT INTO api_tokens (tenant_id, id, name, prefix, token_hash, scopes, expires_at, created_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      RETURNING ${COLUMNS}`,
      [token.tenantId, token.id, token.name, token.prefix, token.hash, token.scopes, token.expiresAt, token.createdBy],
    );
    return row!;
  }

  /** An org's tokens, newest first, with who minted them. */
  async list(tx: Tx, tenantId: string): Promise<TokenListRow[]> {
    return tx.query<TokenListRow>(
      /* sql */ `
      SELECT t.id, t.tenant_id, t.name, t.prefix, t.scopes, t.origin, t.created_by, u.email AS created_by_email, t.issuer, t.subject,
             t.expires_at, t.last_used_at, t.revoked_at, t.created_at
        FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by
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
