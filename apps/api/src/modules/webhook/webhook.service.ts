import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DeliveryItem, DeliveryStatus, Page } from '@dora/domain';
import { uuidv7 } from 'uuidv7';
import { decodeCursor, isTimeAndIdCursor, pageOf } from '../../common/cursor.js';
import { DomainError } from '../../common/errors.js';
import { unsafeJson } from '../../common/safe-input.js';
import { isUuid } from '../../common/uuid.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Transactions } from '../../database/transactions.js';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../access/principals.js';
import type { RequestContext } from '../../common/request-context.js';
import { type Delivery, DeliveriesRepository } from './deliveries.repository.js';
import { planDelivery } from './forgejo-payload.js';
import { Telemetry } from '../observability/telemetry.js';
import { type Headers, header, signedPayload, verifySignature } from './webhook-signature.js';


/** Receiving deliveries (verify, store, answer) and showing them to an org's admins. */
@Injectable()
export class WebhookService {
  private readonly logger = new Logger('Webhook');
  /** Called with each newly stored pending delivery (the processor starts on it at once). */
  onPending: () => void = () => undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transactions: Transactions,
    private readonly deliveries: DeliveriesRepository,
    private readonly audit: AuditRepository,
    private readonly telemetry: Telemetry,
  ) {}

  /**
   * Verifies the signature over the raw body and stores the delivery before answering: a delivery is
   * only acknowledged once it cannot be lost. Nothing is stored for a bad signature.
   */
  async receive(headers: Headers, body: Buffer): Promise<{ id: string; status: DeliveryStatus; duplicate: boolean }> {
    const secret = this.config.forgejo.webhookSecret;
    if (!secret) {
      throw new DomainError('not_configured', 'The Forgejo webhook is not configured: set FORGEJO_WEBHOOK_SECRET on the service');
    }
    const signed = signedPayload(headers, body);
    try {
      verifySignature(secret, signed, headers);
    } catch (error) {
      this.telemetry.webhookDeliveries.inc({ status: 'rejected' });
      this.logger.warn(`rejected delivery ${header(headers, 'x-forgejo-delivery') ?? header(headers, 'x-gitea-delivery') ?? '(no id)'}: ${(error as Error).message}`);
      throw error;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(signed.toString('utf8'));
    } catch {
      throw new DomainError('invalid_json', 'The delivery is signed but its payload is not JSON');
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new DomainError('invalid_json', 'The delivery is signed but its payload is not a JSON object');
    }
    const unsafe = unsafeJson(payload);
    if (unsafe) throw new DomainError('validation_failed', `The delivery's payload cannot be stored: ${unsafe.field} ${unsafe.message}`, [unsafe]);
    const event = header(headers, 'x-forgejo-event') ?? header(headers, 'x-gitea-event') ?? header(headers, 'x-gogs-event');
    if (!event) throw new DomainError('validation_failed', 'Missing X-Forgejo-Event (or X-Gitea-Event) header');
    const deliveryId = header(headers, 'x-forgejo-delivery') ?? header(headers, 'x-gitea-delivery') ?? header(headers, 'x-github-delivery') ?? null;
    const plan = planDelivery(event, payload);
    const action = typeof (payload as { action?: unknown })?.action === 'string' ? (payload as { action: string }).action : null;
    // The same body again, whatever its delivery id, is a replay: stored once, so replays cannot fill the disk.
    const bodySha256 = createHash('sha256').update(signed).digest('hex');

    const stored = await this.transactions.acrossTenants('webhook inbox', async (tx) => {
      const inserted = await this.deliveries.insert(tx, {
        id: uuidv7(),
        deliveryId,
        event,
        action,
        payload,
        bodySha256,
        owner: plan.kind === 'skip' ? null : plan.owner.toLowerCase(),
        status: plan.kind === 'skip' ? 'skipped' : 'pending',
        lastError: plan.kind === 'skip' ? plan.reason : null,
        giveUpAt: new Date(Date.now() + this.config.forgejo.retryForMs),
      });
      return inserted ? { delivery: inserted, duplicate: false } : { delivery: (await this.deliveries.findStored(tx, deliveryId, bodySha256))!, duplicate: true };
    });
    const { delivery, duplicate } = stored;
    this.logger.log(`received delivery ${delivery.id} (${deliveryId ?? 'no id'}): ${event}${action ? `/${action}` : ''} → ${duplicate ? 'already stored' : delivery.status}`);
    if (!duplicate) this.telemetry.webhookDeliveries.inc({ status: 'received' });
    if (!duplicate && delivery.status === 'skipped') this.telemetry.webhookDeliveries.inc({ status: 'skipped' });
    if (!duplicate && delivery.status === 'pending') this.onPending();
    return { id: delivery.id, status: delivery.status, duplicate };
  }

  async list(tenantId: string, query: { status?: DeliveryStatus; limit: number; cursor?: string }): Promise<Page<DeliveryItem>> {
    const after = query.cursor ? decodeCursor(query.cursor, isTimeAndIdCursor) : null;
    const rows = await this.transactions.inTenant(tenantId, (tx) =>
      this.deliveries.list(tx, { tenantId, status: query.status ?? null }, { after, limit: query.limit + 1 }),
    );
    return pageOf(rows, query.limit, toDeliveryItem, (row) => [row.received_at_exact, row.id]);
  }

  /** Re-queues a failed delivery of the org, audited. */
  async retry(tenantId: string, id: string, actor: Actor, request: RequestContext): Promise<DeliveryItem> {
    const notRetryable = new DomainError('not_found', `No failed delivery ${id} in this org`);
    if (!isUuid(id)) throw notRetryable;
    const delivery = await this.transactions.inTenant(tenantId, async (tx) => {
      const requeued = await this.deliveries.requeue(tx, tenantId, id, this.config.forgejo.retryForMs);
      if (!requeued) throw notRetryable;
      await this.audit.record(tx, {
        tenantId,
        action: 'webhook.delivery.retried',
        actor,
        subject: { type: 'webhook_delivery', id },
        request,
        metadata: { delivery_id: requeued.delivery_id, last_error: requeued.last_error },
      });
      return requeued;
    });
    this.onPending();
    return toDeliveryItem(delivery);
  }
}

function toDeliveryItem(row: Omit<Delivery, 'payload'>): DeliveryItem {
  return {
    id: row.id,
    delivery_id: row.delivery_id,
    event: row.event,
    action: row.action,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    last_error: row.last_error,
    deployment_id: row.deployment_id,
    received_at: row.received_at.toISOString(),
    processed_at: row.processed_at?.toISOString() ?? null,
  };
}
