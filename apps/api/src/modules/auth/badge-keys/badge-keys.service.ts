import { Injectable } from '@nestjs/common';
import type { BadgeKeyItem, MintedBadgeKey } from '@dora/domain';
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../../access/principals.js';
import { DomainError } from '../../../common/errors.js';
import type { RequestContext } from '../../../common/request-context.js';
import { isUuid } from '../../../common/uuid.js';
import { Transactions } from '../../../database/transactions.js';
import { AuditRepository } from '../../audit/audit.repository.js';
import { generateTokenSecret, prefixOf, secretMatchesHash } from '../token-secret.js';
import { type BadgeKeyRow, BadgeKeysRepository } from './badge-keys.repository.js';

/**
 * Badge keys (DESIGN §7): minted and revoked by an org's admins (audited), checked for the badges of
 * that org only — a key is looked up within the org the badge's URL names.
 */
@Injectable()
export class BadgeKeysService {
  constructor(
    private readonly transactions: Transactions,
    private readonly keys: BadgeKeysRepository,
    private readonly audit: AuditRepository,
  ) {}

  list(tenantId: string): Promise<BadgeKeyItem[]> {
    return this.transactions.inTenant(tenantId, async (tx) => (await this.keys.list(tx, tenantId)).map(toBadgeKeyItem));
  }

  mint(tenantId: string, name: string, actor: Actor, request: RequestContext): Promise<MintedBadgeKey> {
    const { secret, prefix, hash } = generateTokenSecret('fbk_');
    return this.transactions.inTenant(tenantId, async (tx) => {
      const row = await this.keys.insert(tx, tenantId, { id: uuidv7(), name, prefix, hash });
      await this.audit.record(tx, { tenantId, action: 'badges.key.created', actor, subject: { type: 'badge_key', id: row.id }, request, metadata: { name, prefix } });
      return { badge_key: toBadgeKeyItem(row), key: secret };
    });
  }

  revoke(tenantId: string, id: string, actor: Actor, request: RequestContext): Promise<BadgeKeyItem> {
    const notFound = new DomainError('not_found', `No badge key ${id} in this org`);
    if (!isUuid(id)) throw notFound;
    return this.transactions.inTenant(tenantId, async (tx) => {
      const revoked = await this.keys.revoke(tx, tenantId, id);
      if (!revoked) {
        if (await this.keys.find(tx, tenantId, id)) throw new DomainError('conflict', `The badge key ${id} is already revoked`);
        throw notFound;
      }
      await this.audit.record(tx, { tenantId, action: 'badges.key.revoked', actor, subject: { type: 'badge_key', id }, request, metadata: { name: revoked.name, prefix: revoked.prefix } });
      return toBadgeKeyItem(revoked);
    });
  }

  /** Whether `key` is a live badge key of the org. */
  async verify(tenantId: string, key: string): Promise<boolean> {
    const prefix = prefixOf(key, 'fbk_');
    if (!prefix) return false;
    const live = await this.transactions.inTenant(tenantId, (tx) => this.keys.live(tx, tenantId, prefix));
    return live.some((row) => secretMatchesHash(key, row.key_hash));
  }
}

function toBadgeKeyItem(row: BadgeKeyRow): BadgeKeyItem {
  return { id: row.id, name: row.name, prefix: row.prefix, created_at: row.created_at.toISOString(), revoked_at: row.revoked_at?.toISOString() ?? null };
}
