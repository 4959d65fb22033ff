import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transactions.js';
import type { Membership } from '../../access/principals.js';

export interface SessionRow {
  id: string;
  user_id: string;
  csrf_token: string;
  expires_at: Date;
}


/** Sessions belong to users, not orgs: every method here runs on the owner paths "session lookup" and "login". */
@Injectable()
export class SessionsRepository {
  async insert(tx: Tx, session: SessionRow): Promise<void> {
    await tx.query(`INSERT INTO sessions (id, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)`, [
      session.id,
      session.user_id,
      session.csrf_token,
      session.expires_at,
    ]);
  }

  /** A live session with its user; expired ones are not found. */
  async findLive(tx: Tx, id: string): Promise<(SessionRow & { email: string }) | undefined> {
    const [row] = await tx.query<SessionRow & { email: string }>(
      /* sql */ `
      SELECT s.id, s.user_id, s.csrf_token, s.expires_at, u.email
        FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = $1 AND s.expires_at > now()`,
      [id],
    );
    return row;
  }

  async memberships(tx: Tx, userId: string): Promise<Membership[]> {
    return tx.query<Membership>(
      /* sql */ `
      SELECT m.tenant_id, t.slug, t.name, m.role, t.window_days, t.timezone, t.lead_time_basis, t.max_token_lifetime_days, t.config_version
        FROM memberships m JOIN tenants t ON t.id = m.tenant_id
       WHERE m.user_id = $1
       ORDER BY t.slug`,
      [userId],
    );
  }

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.query(`DELETE FROM sessions WHERE id = $1`, [id]);
  }

  async deleteExpired(tx: Tx): Promise<number> {
    return tx.execute(`DELETE FROM sessions WHERE expires_at <= now()`);
  }
}
