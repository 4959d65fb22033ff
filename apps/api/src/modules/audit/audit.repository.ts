import { Injectable } from '@nestjs/common';
import type { AuditEventItem } from '@dora/domain';
import { uuidv7 } from 'uuidv7';
import type { RequestContext } from '../../common/request-context.js';
import type { Actor } from '../../access/principals.js';
import { insertRows } from '../../database/insert-rows.js';
import type { Tx } from '../../database/transactions.js';

export type AuditAction =
  | 'api.dora.deployments.ingested'
  | 'org.created'
  | 'org.member.added'
  | 'auth.token.created'
  | 'auth.token.revoked'
  | 'dora.settings.updated'
  | 'webhook.delivery.retried'
  | 'auth.login'
  | 'auth.login.failed'
  | 'auth.logout'
  | 'auth.token.exchanged'
  | 'auth.token.exchange_refused'
  | 'auth.token.rotated'
  | 'badges.key.created'
  | 'badges.key.revoked'
  | 'forgejo.owner.mapped'
  | 'forgejo.owner.unmapped'
  | 'identity_provider.added'
  | 'identity_provider.removed'
  | 'teams.created'
  | 'teams.updated'
  | 'teams.deleted'
  | 'teams.rules_replaced';

export interface AuditEvent {
  tenantId: string;
  action: AuditAction;
  actor: Actor;
  subject: { type: string; id: string };
  request?: RequestContext;
  metadata?: Record<string, unknown>;
}

export interface AuditEventRow {
  id: string;
  occurred_at: Date;
  action: string;
  actor_type: AuditEventItem['actor']['type'];
  actor_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  request_id: string | null;
  ip: string | null;
  metadata: Record<string, unknown>;
  /** occurred_at to the microsecond, for page cursors. */
  occurred_at_exact: string;
}

const COLUMNS = /* sql */ `
  id, occurred_at, action, actor_type, actor_id, subject_type, subject_id, request_id, host(ip) AS ip, metadata,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at_exact`;

/** The append-only audit log. Written inside the caller's transaction, so an event never exists without its change. */
@Injectable()
export class AuditRepository {
  async record(tx: Tx, event: AuditEvent): Promise<void> {
    await this.recordAll(tx, event.tenantId, [event]);
  }

  /** Events of one tenant, as few statements as the parameter limit allows. */
  async recordAll(tx: Tx, tenantId: string, events: AuditEvent[]): Promise<void> {
    await insertRows(
      tx,
      tenantId,
      events.map((event) => [
        uuidv7(),
        event.action,
        event.actor.type,
        event.actor.id,
        event.subject.type,
        event.subject.id,
        event.request?.requestId ?? null,
        event.request?.ip ?? null,
        event.metadata ?? {},
      ]),
      (values) => `INSERT INTO audit_events (tenant_id, id, action, actor_type, actor_id, subject_type, subject_id, request_id, ip, metadata) VALUES ${values}`,
    );
  }

  async forSubject(tx: Tx, tenantId: string, subject: { type: string; id: string }): Promise<AuditEventRow[]> {
    return tx.query<AuditEventRow>(
      `SELECT ${COLUMNS} FROM audit_events WHERE tenant_id = $1 AND subject_type = $2 AND subject_id = $3 ORDER BY occurred_at, id`,
      [tenantId, subject.type, subject.id],
    );
  }

  /** Newest first, keyset-paginated on (occurred_at, id). */
  async list(
    tx: Tx,
    filter: { tenantId: string; action: string | null; from: Date | null; to: Date | null },
    page: { after: [string, string] | null; limit: number },
  ): Promise<AuditEventRow[]> {
    return tx.query<AuditEventRow>(
      /* sql */ `
      SELECT ${COLUMNS} FROM audit_events
       WHERE tenant_id = $1 AND ($2::text IS NULL OR action = $2)
         AND ($3::timestamptz IS NULL OR occurred_at >= $3) AND ($4::timestamptz IS NULL OR occurred_at < $4)
         AND ($5::timestamptz IS NULL OR (occurred_at, id) < ($5::timestamptz, $6::uuid))
       ORDER BY occurred_at DESC, id DESC
       LIMIT $7`,
      [filter.tenantId, filter.action, filter.from, filter.to, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit],
    );
  }
}

export function toAuditEventItem(row: AuditEventRow): AuditEventItem {
  return {
    id: row.id,
    occurred_at: row.occurred_at.toISOString(),
    action: row.action,
    actor: { type: row.actor_type, id: row.actor_id },
    subject: { type: row.subject_type, id: row.subject_id },
    request_id: row.request_id,
    ip: row.ip,
    metadata: row.metadata,
  };
}
