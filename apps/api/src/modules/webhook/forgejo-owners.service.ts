import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ForgejoOwnerItem } from '@dora/domain';
import { DomainError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { isUniqueViolation } from '../../database/postgres-errors.js';
import { Transactions } from '../../database/transactions.js';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../access/principals.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { type ForgejoOwner, ForgejoOwnersRepository } from './forgejo-owners.repository.js';

/** Forgejo logins: letters, digits, "-", "_" and ".", at most 40. Stored lower-cased, as Forgejo compares them. */
export const FORGEJO_LOGIN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,39}$/;

/**
 * The Forgejo owners (user or org logins) whose repositories' releases belong to an org: mapped by its
 * admins, one org per owner, audited. Mapping an owner hands its releases that were kept waiting to the
 * webhook processor.
 */
@Injectable()
export class ForgejoOwnersService {
  private readonly logger = new Logger('Webhook');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transactions: Transactions,
    private readonly owners: ForgejoOwnersRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly audit: AuditRepository,
  ) {}

  async list(tenantId: string): Promise<ForgejoOwnerItem[]> {
    const rows = await this.transactions.inTenant(tenantId, (tx) => this.owners.list(tx, tenantId));
    return rows.map(toItem);
  }

  async map(tenantId: string, login: string, actor: Actor, request?: RequestContext): Promise<ForgejoOwnerItem> {
    const owner = normalized(login);
    let row: ForgejoOwner;
    try {
      row = await this.transactions.inTenant(tenantId, async (tx) => {
        const inserted = await this.owners.insert(tx, tenantId, owner);
        await this.audit.record(tx, { tenantId, action: 'forgejo.owner.mapped', actor, subject: { type: 'forgejo_owner', id: owner }, request, metadata: { owner } });
        return inserted;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('conflict', `The Forgejo owner "${owner}" is already mapped to an org: an owner belongs to one org at most`);
      throw error;
    }
    const requeued = await this.requeueAwaiting(owner);
    if (requeued > 0) this.logger.log(`"${owner}" mapped: ${requeued} kept deliveries queued for processing`);
    return toItem(row);
  }

  async unmap(tenantId: string, login: string, actor: Actor, request?: RequestContext): Promise<void> {
    const owner = login.toLowerCase();
    await this.transactions.inTenant(tenantId, async (tx) => {
      const removed = await this.owners.delete(tx, tenantId, owner);
      if (!removed) throw new DomainError('not_found', `The Forgejo owner "${owner}" is not mapped to this org`);
      await this.audit.record(tx, { tenantId, action: 'forgejo.owner.unmapped', actor, subject: { type: 'forgejo_owner', id: owner }, request, metadata: { owner } });
    });
  }

  /** Deliveries kept because their owner was mapped to no org, and whose owner (any, or this one) is mapped now. */
  requeueAwaiting(owner?: string): Promise<number> {
    return this.transactions.acrossTenants('webhook inbox', (tx) => this.deliveries.requeueAwaiting(tx, owner ?? null, this.config.forgejo.retryForMs));
  }
}

function normalized(login: string): string {
  if (!FORGEJO_LOGIN.test(login)) {
    const message = 'must be a Forgejo user or org login: 1-40 letters, digits, "-", "_" and "."';
    throw new DomainError('validation_failed', `owner ${message}`, [{ field: 'owner', message }]);
  }
  return login.toLowerCase();
}

function toItem(row: ForgejoOwner): ForgejoOwnerItem {
  return { owner: row.owner, created_at: row.created_at.toISOString() };
}
