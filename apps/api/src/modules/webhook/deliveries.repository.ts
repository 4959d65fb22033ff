import { Injectable } from '@nestjs/common';
import type { DeliveryStatus } from '@dora/domain';
import type { Tx } from '../../database/transactions.js';

export interface Delivery {
  id: string;
  delivery_id: string | null;
  event: string;
  action: string | null;
  payload: unknown;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  give_up_at: Date;
  last_error: string | null;
  tenant_id: string | null;
  deployment_id: string | null;
  /** The repository owner's login, lower-cased, when the payload names one. */
  owner: string | null;
  /** Skipped because its owner is mapped to no org: processed once it is. */
  awaiting_owner: boolean;
  received_at: Date;
  processed_at: Date | null;
}

export interface Outcome {
  status: DeliveryStatus;
  tenantId: string | null;
  deploymentId: string | null;
  lastError: string | null;
  retryAt: Date | null;
  awaitingOwner?: boolean;
}

export interface NewDelivery {
  id: string;
  deliveryId: string | null;
  event: string;
  action: string | null;
  payload: unknown;
  bodySha256: string;
  owner: string | null;
  status: 'pending' | 'skipped';
  lastError: string | null;
  giveUpAt: Date;
}

const SUMMARY_COLUMNS = `id, delivery_id, event, action, status, attempts, next_attempt_at, give_up_at, last_error,
  tenant_id, deployment_id, received_at, processed_at,
  to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at_exact`;

/** The inbox of verified deliveries. Writes happen before any org is known: the owner path "webhook inbox". */
@Injectable()
export class DeliveriesRepository {
  /** Stores a delivery once per delivery id and per body; answers `undefined` when either is already stored. */
  async insert(tx: Tx, d: NewDelivery): Promise<Delivery | undefined> {
    const [row] = await tx.query<Delivery>(
      /* sql */ `
      INSERT INTO webhook_deliveries (id, delivery_id, event, action, payload, body_sha256, owner, status, last_error, give_up_at, processed_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $8 = 'skipped' THEN now() END)
      ON CONFLICT DO NOTHING
      RETURNING *`,
      [d.id, d.deliveryId, d.event, d.action, d.payload, d.bodySha256, d.owner, d.status, d.lastError, d.giveUpAt],
    );
    return row;
  }

  /** The delivery stored before with this delivery id or this very body. */
  async findStored(tx: Tx, deliveryId: string | null, bodySha256: string): Promise<Delivery | undefined> {
    const [row] = await tx.query<Delivery>(`SELECT * FROM webhook_deliveries WHERE delivery_id = $1 OR body_sha256 = $2 LIMIT 1`, [deliveryId, bodySha256]);
    return row;
  }

  /**
   * Claims the oldest due pending delivery for `leaseMs`: other processes skip it (SKIP LOCKED now,
   * its next_attempt_at later) until this one finishes it or the lease runs out (a crashed process).
   */
  async claimDue(tx: Tx, leaseMs: number): Promise<Delivery | undefined> {
    const [row] = await tx.query<Delivery>(
      /* sql */ `
      UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = now() + $1 * interval '1 millisecond'
       WHERE id = (SELECT id FROM webhook_deliveries
                    WHERE status = 'pending' AND next_attempt_at <= now()
                    ORDER BY next_attempt_at
                    FOR UPDATE SKIP LOCKED
                    LIMIT 1)
      RETURNING *`,
      [leaseMs],
    );
    return row;
  }

  /** Records how an attempt ended, unless another process has claimed the delivery since (its attempts moved on). */
  async finish(tx: Tx, claimed: Pick<Delivery, 'id' | 'attempts'>, outcome: Outcome): Promise<boolean> {
    const touched = await tx.execute(
      /* sql */ `
      UPDATE webhook_deliveries
         SET status = $3, tenant_id = coalesce($4, tenant_id), deployment_id = $5, last_error = $6,
             next_attempt_at = coalesce($7, next_attempt_at), awaiting_owner = $8,
             processed_at = CASE WHEN $3 = 'pending' THEN NULL ELSE now() END
       WHERE id = $1 AND attempts = $2`,
      [claimed.id, claimed.attempts, outcome.status, outcome.tenantId, outcome.deploymentId, outcome.lastError, outcome.retryAt, outcome.awaitingOwner ?? false],
    );
    return touched === 1;
  }

  /** Queues again the deliveries kept for an owner mapped to no org, once their owner (any, or `owner`) is mapped. */
  async requeueAwaiting(tx: Tx, owner: string | null, retryForMs: number): Promise<number> {
    // Two statements: on Citus the queue is a plain table of the coordinator, which a statement may not mix with the owners' reference table.
    const mapped = await tx.query<{ owner: string }>(`SELECT owner FROM forgejo_owners WHERE $1::text IS NULL OR owner = $1`, [owner]);
    if (mapped.length === 0) return 0;
    return tx.execute(
      /* sql */ `
      UPDATE webhook_deliveries
         SET status = 'pending', awaiting_owner = false, last_error = NULL, processed_at = NULL,
             next_attempt_at = now(), give_up_at = now() + $2 * interval '1 millisecond'
       WHERE awaiting_owner AND owner = ANY ($1::text[])`,
      [mapped.map((row) => row.owner), retryForMs],
    );
  }

  /** An org's deliveries, newest first (row-level security shows only its own). */
  async list(
    tx: Tx,
    filter: { tenantId: string; status: DeliveryStatus | null },
    page: { after: [string, string] | null; limit: number },
  ): Promise<(Omit<Delivery, 'payload'> & { received_at_exact: string })[]> {
    return tx.query(
      /* sql */ `
      SELECT ${SUMMARY_COLUMNS} FROM webhook_deliveries
       WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR (received_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY received_at DESC, id DESC
       LIMIT $5`,
      [filter.tenantId, filter.status, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit],
    );
  }

  /** Puts a failed delivery back in the queue, due now, with a fresh retry period. */
  async requeue(tx: Tx, tenantId: string, id: string, retryForMs: number): Promise<Delivery | undefined> {
    const [row] = await tx.query<Delivery>(
      /* sql */ `
      UPDATE webhook_deliveries
         SET status = 'pending', next_attempt_at = now(), give_up_at = now() + $3 * interval '1 millisecond'
       WHERE tenant_id = $1 AND id = $2 AND status = 'failed'
      RETURNING *`,
      [tenantId, id, retryForMs],
    );
    return row;
  }
}
