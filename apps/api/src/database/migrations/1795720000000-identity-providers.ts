import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The issuers an org trusts for token exchange (RFC 8693): their JWKS (by URL, or inline), the
 * audience and claims they must present, what they may be granted and for how long.
 */
export class IdentityProviders1795720000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(/* sql */ `
      CREATE TABLE identity_providers (
        tenant_id       uuid NOT NULL REFERENCES tenants (id),
        id              uuid NOT NULL,
        issuer          text NOT NULL,
        jwks_uri        text,
        jwks            jsonb,
        audience        text NOT NULL,
        required_claims jsonb NOT NULL DEFAULT '{}',
        allowed_scopes  text[] NOT NULL DEFAULT ARRAY['findings:write']
                        CHECK (cardinality(allowed_scopes) > 0 AND allowed_scopes <@ ARRAY['findings:write', 'dora:read', 'dora:admin']),
        max_ttl_seconds integer NOT NULL DEFAULT 900 CHECK (max_ttl_seconds BETWEEN 60 AND 3600),
        created_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, issuer),
        CHECK ((jwks_uri IS NULL) <> (jwks IS NULL))
      )`);
    // Token exchange finds the orgs that trust an issuer before it knows the org.
    await db.query(`CREATE INDEX identity_providers_issuer_idx ON identity_providers (issuer)`);
    await db.query(`ALTER TABLE identity_providers ENABLE ROW LEVEL SECURITY`);
    await db.query(`ALTER TABLE identity_providers FORCE ROW LEVEL SECURITY`);
    const currentTenant = `nullif(current_setting('dora.tenant_id', true), '')::uuid`;
    await db.query(/* sql */ `
      CREATE POLICY identity_providers_tenant_isolation ON identity_providers
        USING (tenant_id = ${currentTenant}) WITH CHECK (tenant_id = ${currentTenant})`);
    await db.query(`GRANT SELECT, INSERT, DELETE ON identity_providers TO dora_app`);
    await db.query(`ALTER TABLE tenants ADD CONSTRAINT tenants_max_token_lifetime_days_limit CHECK (max_token_lifetime_days <= 3650)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tenants DROP CONSTRAINT tenants_max_token_lifetime_days_limit`);
    await db.query(`DROP TABLE identity_providers`);
  }
}
