import type { MigrationInterface, QueryRunner } from 'typeorm';

const CURRENT_TENANT = `nullif(current_setting('dora.tenant_id', true), '')::uuid`;

/**
 * Tenant trust (DESIGN §7): the runtime role `dora_service` that owns nothing; Forgejo owners mapped to
 * orgs explicitly; token rotation, single-use JWT ids and issuers bound to the org's own workloads.
 */
export class TenantTrust1795730000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    // The service's login role is a member of dora_service (README "Security"); as owner of nothing it
    // cannot alter a table, disable a trigger, or update the audit log.
    await db.query(/* sql */ `
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dora_service') THEN
          BEGIN
            CREATE ROLE dora_service NOLOGIN;
          EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- created concurrently by another database or process on this server
          END;
        END IF;
        IF NOT pg_has_role('dora_service', 'dora_app', 'MEMBER') THEN
          GRANT dora_app TO dora_service;
        END IF;
      END
      $$`);

    await db.query(/* sql */ `
      CREATE TABLE forgejo_owners (
        tenant_id  uuid NOT NULL REFERENCES tenants (id),
        owner      text NOT NULL CHECK (owner ~ '^[a-z0-9_][a-z0-9._-]{0,39}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, owner)
      )`);
    // One owner's repositories belong to one org at most.
    await db.query(`CREATE UNIQUE INDEX forgejo_owners_owner_key ON forgejo_owners (owner)`);
    await db.query(`ALTER TABLE forgejo_owners ENABLE ROW LEVEL SECURITY`);
    await db.query(`ALTER TABLE forgejo_owners FORCE ROW LEVEL SECURITY`);
    await db.query(`CREATE POLICY forgejo_owners_tenant_isolation ON forgejo_owners USING (tenant_id = ${CURRENT_TENANT}) WITH CHECK (tenant_id = ${CURRENT_TENANT})`);
    await db.query(`GRANT SELECT, INSERT, DELETE ON forgejo_owners TO dora_app`);

    await db.query(/* sql */ `
      ALTER TABLE webhook_deliveries
        ADD COLUMN owner text,
        ADD COLUMN awaiting_owner boolean NOT NULL DEFAULT false,
        ADD COLUMN body_sha256 text`);
    await db.query(`UPDATE webhook_deliveries SET owner = lower(payload -> 'repository' -> 'owner' ->> 'login')`);
    // A replayed body (whatever its delivery id) is stored once.
    await db.query(`CREATE UNIQUE INDEX webhook_deliveries_body_key ON webhook_deliveries (body_sha256)`);
    await db.query(`CREATE INDEX webhook_deliveries_awaiting_idx ON webhook_deliveries (owner) WHERE awaiting_owner`);
    // Upgrades keep what works: every owner whose releases the old "owner login = org slug" rule
    // delivered into an org stays mapped to that org.
    await db.query(/* sql */ `
      INSERT INTO forgejo_owners (tenant_id, owner)
      SELECT DISTINCT ON (owner) tenant_id, owner FROM webhook_deliveries
       WHERE tenant_id IS NOT NULL AND owner ~ '^[a-z0-9_][a-z0-9._-]{0,39}$'
       ORDER BY owner, received_at
      ON CONFLICT DO NOTHING`);

    await db.query(/* sql */ `
      ALTER TABLE api_tokens
        ADD COLUMN jti text,
        ADD COLUMN replaced_by uuid`);
    // A JWT's id is exchanged once per org and issuer.
    await db.query(`CREATE UNIQUE INDEX api_tokens_jti_key ON api_tokens (tenant_id, issuer, jti) WHERE jti IS NOT NULL`);
    await db.query(`GRANT UPDATE (expires_at, replaced_by) ON api_tokens TO dora_app`);

    await db.query(`ALTER TABLE identity_providers ADD COLUMN allow_any_subject boolean NOT NULL DEFAULT false`);
    // Issuers trusted before this rule keep working, marked as trusting any subject (the dashboard warns).
    await db.query(`UPDATE identity_providers SET allow_any_subject = true WHERE required_claims = '{}'::jsonb`);
    // An exchanged token never carries dora:admin.
    await db.query(/* sql */ `
      UPDATE identity_providers
         SET allowed_scopes = coalesce(nullif(array_remove(allowed_scopes, 'dora:admin'), '{}'), ARRAY['findings:write'])
       WHERE 'dora:admin' = ANY (allowed_scopes)`);
    await db.query(/* sql */ `
      ALTER TABLE identity_providers ADD CONSTRAINT identity_providers_no_admin_scope
        CHECK (NOT 'dora:admin' = ANY (allowed_scopes)),
        ADD CONSTRAINT identity_providers_bound_subject
        CHECK (allow_any_subject OR required_claims <> '{}'::jsonb)`);

    // What the cross-tenant paths (DESIGN §3) use, as the runtime role itself; tenant work goes through
    // dora_app. On the audit log only INSERT and SELECT, ever.
    await db.query(`GRANT SELECT ON tenants, users, memberships, api_tokens, identity_providers, forgejo_owners TO dora_service`);
    await db.query(`GRANT INSERT ON users, memberships TO dora_service`);
    await db.query(`GRANT SELECT, INSERT, DELETE ON sessions TO dora_service`);
    await db.query(`GRANT SELECT, INSERT, UPDATE ON webhook_deliveries TO dora_service`);
    await db.query(`GRANT SELECT, INSERT ON audit_events TO dora_service`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(/* sql */ `
      REVOKE ALL ON tenants, users, memberships, api_tokens, identity_providers, sessions, webhook_deliveries, audit_events FROM dora_service;
      ALTER TABLE identity_providers DROP CONSTRAINT identity_providers_bound_subject, DROP CONSTRAINT identity_providers_no_admin_scope,
        DROP COLUMN allow_any_subject;
      REVOKE UPDATE (expires_at, replaced_by) ON api_tokens FROM dora_app;
      DROP INDEX api_tokens_jti_key;
      ALTER TABLE api_tokens DROP COLUMN replaced_by, DROP COLUMN jti;
      DROP INDEX webhook_deliveries_awaiting_idx, webhook_deliveries_body_key;
      ALTER TABLE webhook_deliveries DROP COLUMN body_sha256, DROP COLUMN awaiting_owner, DROP COLUMN owner;
      DROP TABLE forgejo_owners`);
  }
}
