import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transactions.js';

export interface ForgejoOwner {
  tenant_id: string;
  owner: string;
  created_at: Date;
}

/** Which org a Forgejo owner's repositories belong to (DESIGN §6). */
@Injectable()
export class ForgejoOwnersRepository {
  async list(tx: Tx, tenantId: string): Promise<ForgejoOwner[]> {
    return tx.query<ForgejoOwner>(`SELECT tenant_id, owner, created_at FROM forgejo_owners WHERE tenant_id = $1 ORDER BY owner`, [tenantId]);
  }

  async insert(tx: Tx, tenantId: string, owner: string): Promise<ForgejoOwner> {
    const [row] = await tx.query<ForgejoOwner>(`INSERT INTO forgejo_owners (tenant_id, owner) VALUES ($1, $2) RETURNING tenant_id, owner, created_at`, [tenantId, owner]);
    return row!;
  }

  async delete(tx: Tx, tenantId: string, owner: string): Promise<ForgejoOwner | undefined> {
    const [row] = await tx.query<ForgejoOwner>(`DELETE FROM forgejo_owners WHERE tenant_id = $1 AND owner = $2 RETURNING tenant_id, owner, created_at`, [tenantId, owner]);
    return row;
  }

  /**
   * Cross-tenant ("webhook inbox"): the org an owner is mapped to; with `bySlug` (FORGEJO_MAP_OWNER_TO_SLUG)
   * an unmapped owner falls back to the org whose slug is its login.
   */
  async orgOf(tx: Tx, owner: string, bySlug: boolean): Promise<string | undefined> {
    const [row] = await tx.query<{ tenant_id: string }>(
      /* sql */ `
      SELECT tenant_id FROM forgejo_owners WHERE owner = $1
      UNION ALL
      SELECT id FROM tenants WHERE $2 AND slug = $1
      LIMIT 1`,
      [owner, bySlug],
    );
    return row?.tenant_id;
  }
}
