import { Injectable } from '@nestjs/common';
import type { DoraSettings } from '@dora/domain';
import type { Org } from '../../access/principals.js';
import { raiseConfigVersion, type Tx } from '../../database/transactions.js';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
}


const ORG_COLUMNS = `id, slug, name, window_days, timezone, lead_time_basis, max_token_lifetime_days, config_version`;

@Injectable()
export class TenantsRepository {
  /** Run as the new tenant itself: row-level security checks the row belongs to it. */
  async insert(tx: Tx, tenant: Tenant): Promise<void> {
    await tx.query(`INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3)`, [tenant.id, tenant.slug, tenant.name]);
  }

  async findBySlug(tx: Tx, slug: string): Promise<Org | undefined> {
    const [row] = await tx.query<Org>(`SELECT ${ORG_COLUMNS} FROM tenants WHERE slug = $1`, [slug]);
    return row;
  }

  async list(tx: Tx): Promise<Tenant[]> {
    return tx.query<Tenant>(`SELECT id, slug, name FROM tenants ORDER BY slug`);
  }

  async isEmpty(tx: Tx): Promise<boolean> {
    const [row] = await tx.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM tenants) AS empty`);
    return row!.empty;
  }

  async updateSettings(tx: Tx, tenantId: string, settings: DoraSettings): Promise<void> {
    await raiseConfigVersion(tx, tenantId);
    await tx.query(`UPDATE tenants SET window_days = $2, timezone = $3, lead_time_basis = $4, max_token_lifetime_days = $5 WHERE id = $1`, [
      tenantId,
      settings.window_days,
      settings.timezone,
      settings.lead_time_basis,
      settings.max_token_lifetime_days,
    ]);
  }

  async isTimezone(tx: Tx, name: string): Promise<boolean> {
    const [row] = await tx.query<{ known: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1) AS known`, [name]);
    return row!.known;
  }
}
