import { Injectable } from '@nestjs/common';
import type { AuditEventItem, Page } from '@dora/domain';
import { decodeCursor, isTimeAndIdCursor, pageOf } from '../../common/cursor.js';
import { timeRange } from '../../common/timestamps.js';
import { Transactions } from '../../database/transactions.js';
import { AuditRepository, toAuditEventItem } from './audit.repository.js';
import type { AuditQueryDto } from './dto/audit-query.dto.js';

@Injectable()
export class AuditService {
  constructor(
    private readonly transactions: Transactions,
    private readonly audit: AuditRepository,
  ) {}

  /** The org's audit log, newest first. */
  async list(tenantId: string, query: AuditQueryDto): Promise<Page<AuditEventItem>> {
    const { from, to } = timeRange(query.from, query.to);
    const after = query.cursor ? decodeCursor(query.cursor, isTimeAndIdCursor) : null;
    const rows = await this.transactions.inTenant(tenantId, (tx) =>
      this.audit.list(tx, { tenantId, action: query.action ?? null, from, to }, { after, limit: query.limit + 1 }),
    );
    return pageOf(rows, query.limit, toAuditEventItem, (row) => [row.occurred_at_exact, row.id]);
  }
}

