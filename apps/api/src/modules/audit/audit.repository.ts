import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import type { RequestContext } from '../../common/request-context.js';
import type { Tx } from '../../database/transactions.js';

export type AuditAction =
  | 'api.dora.deployments.ingested'
  | 'org.created'
  | 'org.member.added'
  | 'auth.token.created'
  | 'auth.token.revoked';

/** Who did it: an API token, a signed-in user, a webhook, or the service itself (operator CLI, first start). */
export type AuditActor =
  | { type: 'token'; id: string }
  | { type: 'user'; id: string }
  | { type: 'webhook'; id: string }
  | { type: 'system'; id: 'cli' | 'first-start' };

export interface AuditEvent {
  tenantId: string;
  action: AuditAction;
  actor: AuditActor;
  subject: { type: string; id: string };
  request?: RequestContext;
  metadata?: Record<string, unknown>;
}

/** The append-only audit log. Written inside the caller's transaction, so an event never exists without its change. */
@Injectable()
export class AuditRepository {
  async record(tx: Tx, event: AuditEvent): Promise<void> {
    await tx.query(
      /* sql */ `
      INSERT INTO audit_events (tenant_id, id, action, actor_type, actor_id, subject_type, subject_id, request_id, ip, metadata)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        event.tenantId,
        uuidv7(),
        event.action,
        event.actor.type,
        event.actor.id,
        event.subject.type,
        event.subject.id,
        event.request?.requestId ?? null,
        event.request?.ip ?? null,
        event.metadata ?? {},
      ],
    );
  }
}
