import { Injectable } from '@nestjs/common';
import type { Role } from '@dora/domain';
import type { Tx } from '../../database/transactions.js';

export type { Role };

export interface User {
  id: string;
  email: string;
}

/** Users belong to no single org, so creating them is an owner path (the operator CLI, first start). */
@Injectable()
export class UsersRepository {
  async findByEmail(tx: Tx, email: string): Promise<User | undefined> {
    const [row] = await tx.query<User>(`SELECT id, email FROM users WHERE lower(email) = lower($1)`, [email]);
    return row;
  }

  /** Login: the stored password hash too. */
  async findForLogin(tx: Tx, email: string): Promise<(User & { password_hash: string }) | undefined> {
    const [row] = await tx.query<User & { password_hash: string }>(
      `SELECT id, email, password_hash FROM users WHERE lower(email) = lower($1)`,
      [email],
    );
    return row;
  }

  async insert(tx: Tx, user: User & { passwordHash: string }): Promise<void> {
    await tx.query(`INSERT INTO users (id, email, password_hash) VALUES ($1, $2, $3)`, [user.id, user.email, user.passwordHash]);
  }

  async addMembership(tx: Tx, membership: { tenantId: string; userId: string; role: Role }): Promise<void> {
    await tx.query(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)`, [
      membership.tenantId,
      membership.userId,
      membership.role,
    ]);
  }
}
