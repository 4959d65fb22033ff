import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox of signed Forgejo deliveries (DESIGN §6). A delivery's org is known only once it is
 * processed, so the table is keyed by its own id; tenants see, under row-level security, the rows
 * that were matched to them.
 */
export class WebhookDeliveries1795710000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(/* sql */ `
      CREATE TABLE webhook_deliveries (
        id              uuid PRIMARY KEY,
        delivery_id     text,
        event           text NOT NULL,
        action          text,
        payload         jsonb NOT NULL,
        status          text NOT NULL CHECK (status IN ('pending', 'processed', 'skipped', 'failed')),
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        give_up_at      timestamptz NOT NULL,
        last_error      text,
        tenant_id       uuid REFERENCES tenants (id),
        deployment_id   uuid,
        received_at     timestamptz NOT NULL DEFAULT now(),
        processed_at    timestamptz
      )`);
    // Forgejo never redelivers by itself, but a proxy may: the same delivery id is stored once.
    await db.query(`CREATE UNIQUE INDEX webhook_deliveries_delivery_key ON webhook_deliveries (delivery_id)`);
    await db.query(`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await db.query(`CREATE INDEX webhook_deliveries_tenant_idx ON webhook_deliveries (tenant_id, received_at, id)`);
    await db.query(`ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY`);
    await db.query(`ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY`);
    const currentTenant = `nullif(current_setting('dora.tenant_id', true), '')::uuid`;
    await db.query(/* sql */ `
      CREATE POLICY webhook_deliveries_tenant_isolation ON webhook_deliveries
        USING (tenant_id = ${currentTenant}) WITH CHECK (tenant_id = ${currentTenant})`);
    await db.query(`GRANT SELECT, UPDATE (status, next_attempt_at, give_up_at, last_error) ON webhook_deliveries TO dora_app`);
    await db.query(`ALTER TABLE dora_deployments ADD FOREIGN KEY (delivery_id) REFERENCES webhook_deliveries (id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(/* sql */ `
      ALTER TABLE dora_deployments DROP CONSTRAINT dora_deployments_delivery_id_fkey;
      DROP TABLE webhook_deliveries`);
  }
}
