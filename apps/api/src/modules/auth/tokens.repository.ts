import { Injectable } from '@nestjs/common';
import type { Scope } from '@dora/domain';
import type { Tx } from '../../database/transactions.js';

export interface ApiToken {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  origin: 'minted' | 'exchanged';
  expires_at: Date | null;
  revoked_at: Date | null;
  replaced_by: string | null;
  created_at: Date;
}

/** A token as its org's admins see it. */
export interface TokenListRow extends ApiToken {
  created_by: string | null;
  created_by_email: string | null;
  issuer: string | null;
  subject: string | null;
  last_used_at: Date | null;
  /** Its expiry is later than the org's max_token_lifetime_days allows. */
  exceeds_policy: boolean;
  /** The earlier of its expiry and the lifetime policy's cap. */
  stops_at: Date | null;
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
  /** For a token exchanged for an identity provider's JWT: its issuer, subject and JWT id. */
  exchangedFrom: { issuer: string; subject: string; jti: string | null } | null;
}

const COLUMNS = `id, tenant_id, name, prefix, scopes, origin, expires_at, revoked_at, replaced_by, created_at`;

/** The listing's columns over a source of token rows `t` (the table, or rows just inserted). */
const listed = (source: string) => /* sql */ `
  SELECT t.id, t.tenant_id, t.name, t.prefix, t.scopes, t.origin, t.created_by, u.email AS created_by_email, t.issuer, t.subject,
         t.expires_at, t.last_used_at, t.revoked_at, t.replaced_by, t.created_at,
         coalesce(o.max_token_lifetime_days IS NOT NULL AND t.revoked_at IS NULL
                  AND (t.expires_at IS NULL OR t.expires_at > t.created_at + o.max_token_lifetime_days * interval '1 day'), false) AS exceeds_policy,
         least(t.expires_at, t.created_at + o.max_token_lifetime_days * interval '1 day') AS stops_at
    FROM ${source} t
    JOIN tenants o ON o.id = t.tenant_id
    LEFT JOIN users u ON u.id = t.created_by`;

@Injectable()
export class TokensRepository {
  /** Inserts, then reads the listing back: Citus plans an INSERT inside a CTE joined with other tables by reading them whole, beyond dora_app's columns. */
  async insert(tx: Tx, token: NewApiToken): Promise<TokenListRow> {
    await tx.query(
      /* sql */ `
      INSERT INTO api_tokens (tenant_id, id, name, prefix, token_hash, scopes, expires_at, created_by, origin, issuer, subject, jti)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
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
        token.exchangedFrom?.jti ?? null,
      ],
    );
    return (await this.item(tx, token.tenantId, token.id))!;
  }

  async maxLifetimeDays(tx: Tx, tenantId: string): Promise<number | null> {
    const [row] = await tx.query<{ max_token_lifetime_days: number | null }>(`SELECT max_token_lifetime_days FROM tenants WHERE id = $1`, [tenantId]);
    return row?.max_token_lifetime_days ?? null;
  }

  /** An org's tokens, newest first, with who minted them. */
  async list(tx: Tx, tenantId: string): Promise<TokenListRow[]> {
    return tx.query<TokenListRow>(`${listed('api_tokens')} WHERE t.tenant_id = $1 ORDER BY t.created_at DESC, t.id DESC`, [tenantId]);
  }

  async item(tx: Tx, tenantId: string, id: string): Promise<TokenListRow | undefined> {
    const [row] = await tx.query<TokenListRow>(`${listed('api_tokens')} WHERE t.tenant_id = $1 AND t.id = $2`, [tenantId, id]);
    return row;
  }

  /** Cross-tenant: the candidates for a presented secret, before its tenant is known, with their org's lifetime policy. */
  async findByPrefix(tx: Tx, prefix: string): Promise<(ApiToken & { token_hash: string; max_token_lifetime_days: number | null })[]> {
    return tx.query(
      `SELECT ${COLUMNS.replace(/(\w+)/g, 't.$1')}, t.token_hash, o.max_token_lifetime_days
         FROM api_tokens t JOIN tenants o ON o.id = t.tenant_id
        WHERE t.prefix = $1`,
      [prefix],
    );
  }

  /** Cross-tenant (operator CLI): tokens are named by id alone there. */
  async findById(tx: Tx, id: string): Promise<ApiToken | undefined> {
    const [row] = await tx.query<ApiToken>(`SELECT ${COLUMNS} FROM api_tokens WHERE id = $1`, [id]);
    return row;
  }

  /** One of an org's tokens, locked for a change. */
  async lockInOrg(tx: Tx, tenantId: string, id: string): Promise<ApiToken | undefined> {
    const [row] = await tx.query<ApiToken>(`SELECT ${COLUMNS} FROM api_tokens WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, id]);
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

  /** A rotated token works until the end of its grace period (or its own earlier expiry). */
  async replace(tx: Tx, tenantId: string, id: string, replacedBy: string, until: Date): Promise<void> {
    await tx.execute(
      `UPDATE api_tokens SET replaced_by = $3, expires_at = least(expires_at, $4::timestamptz)
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, replacedBy, until],
    );
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
