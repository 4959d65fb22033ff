import { Injectable } from '@nestjs/common';
import type { Tx } from '../../../database/transactions.js';

export interface BadgeKeyRow {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = `id, name, prefix, key_hash, created_at, revoked_at`;

/** An org's badge keys (DESIGN §7, "Badge keys"). */
@Injectable()
export class BadgeKeysRepository {
  async insert(tx: Tx, tenantId: string, key: { id: string; name: string; prefix: string; hash: string }): Promise<BadgeKeyRow> {
    const [row] = await tx.query<BadgeKeyRow>(
      `INSERT INTO badge_keys (tenant_id, id, name, prefix, key_hash) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [tenantId, key.id, key.name, key.prefix, key.hash],
    );
    return row!;
  }

  list(tx: Tx, tenantId: string): Promise<BadgeKeyRow[]> {
    return tx.query<BadgeKeyRow>(`SELECT ${COLUMNS} FROM badge_keys WHERE tenant_id = $1 ORDER BY created_at DESC, id`, [tenantId]);
  }

  /** The org's live keys of a prefix (a prefix may repeat; the hash tells them apart). */
  live(tx: Tx, tenantId: string, prefix: string): Promise<BadgeKeyRow[]> {
    return tx.query<BadgeKeyRow>(`SELECT ${COLUMNS} FROM badge_keys WHERE tenant_id = $1 AND prefix = $2 AND revoked_at IS NULL`, [tenantId, prefix]);
  }

  /** Revokes a live key; answers it, or undefined when there is no such live key. */
  async revoke(tx: Tx, tenantId: string, id: string): Promise<BadgeKeyRow | undefined> {
    const [row] = await tx.query<BadgeKeyRow>(
      `UPDATE badge_keys SET revoked_at = now() WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      [tenantId, id],
    );
    return row;
  }

  async find(tx: Tx, tenantId: string, id: string): Promise<BadgeKeyRow | undefined> {
    const [row] = await tx.query<BadgeKeyRow>(`SELECT ${COLUMNS} FROM badge_keys WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return row;
  }
}
