import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { DomainError } from '../../common/errors.js';
import { isUniqueViolation } from '../../database/postgres-errors.js';
import { type CrossTenantPath, Transactions } from '../../database/transactions.js';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../access/principals.js';
import { generatePassword, PasswordHasher } from './password.js';
import { type Role, type User, UsersRepository } from './users.repository.js';

const EMAIL = /^[^@\s]+@[^@\s]+$/;
const MIN_PASSWORD_LENGTH = 12;

export interface AddUserInput {
  email: string;
  tenantId: string;
  role: Role;
  /** For a new user; without it one is generated and answered once. */
  password?: string;
}

export interface AddedUser {
  user: User;
  created: boolean;
  generatedPassword?: string;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly transactions: Transactions,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly passwords: PasswordHasher,
  ) {}

  /** Adds a user to an org, creating the user first when the email is new. */
  async addToOrg(input: AddUserInput, actor: Actor & { type: 'system' }): Promise<AddedUser> {
    const email = input.email.trim();
    if (!EMAIL.test(email) || email.length > 254) {
      throw new DomainError('validation_failed', `"${email}" is not an email address`, [{ field: 'email', message: 'must be an email address' }]);
    }
    if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH) {
      throw new DomainError('validation_failed', `A password has at least ${MIN_PASSWORD_LENGTH} characters`, [
        { field: 'password', message: `must have at least ${MIN_PASSWORD_LENGTH} characters` },
      ]);
    }
    const path: CrossTenantPath = actor.id === 'cli' ? 'operator cli' : 'first-start bootstrap';
    const existing = await this.transactions.acrossTenants(path, (tx) => this.users.findByEmail(tx, email));
    if (existing && input.password !== undefined) {
      throw new DomainError('conflict', `The user ${existing.email} already exists; a password can only be given to a new user`);
    }
    const generatedPassword = existing || input.password !== undefined ? undefined : generatePassword();
    const passwordHash = existing ? undefined : await this.passwords.hash(input.password ?? generatedPassword!);
    const user: User = existing ?? { id: uuidv7(), email };
    try {
      await this.transactions.acrossTenants(path, async (tx) => {
        if (passwordHash) await this.users.insert(tx, { ...user, passwordHash });
        await this.users.addMembership(tx, { tenantId: input.tenantId, userId: user.id, role: input.role });
        await this.audit.record(tx, {
          tenantId: input.tenantId,
          action: 'org.member.added',
          actor,
          subject: { type: 'user', id: user.id },
          metadata: { email: user.email, role: input.role, new_user: !existing },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('conflict', `${email} is already a member of this org (or was just created)`);
      throw error;
    }
    return { user, created: !existing, generatedPassword };
  }
}
