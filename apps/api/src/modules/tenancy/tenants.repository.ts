import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transactions.js';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
}

@Injectable()
export class TenantsRepository {
  /** Run as the new tenant itself: row-level security checks the row belongs to it. */
  async insert(tx: Tx, tenant: Tenant): Promise<void> {
    await tx.query(`INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3)`, [tenant.id, tenant.slug, tenant.name]);
  }

  async findBySlug(tx: Tx, slug: string): Promise<Tenant | undefined> {
    const [row] = await tx.query<Tenant>(`SELECT id, slug, name FROM tenants WHERE slug = $1`, [slug]);
    return row;
  }

  async list(tx: Tx): Promise<Tenant[]> {
    return tx.query<Tenant>(`SELECT id, slug, name FROM tenants ORDER BY slug`);
  }

  async isEmpty(tx: Tx): Promise<boolean> {
    const [row] = await tx.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM tenants) AS empty`);
    return row!.empty;
  }
}
