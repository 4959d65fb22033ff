import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables of DESIGN §3 with forced row-level security per tenant and an append-only audit log. */
export class InitialSchema1795690000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(/* sql */ `
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dora_app') THEN
          BEGIN
            CREATE ROLE dora_app NOLOGIN;
          EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- created concurrently by another database or process on this server
          END;
        END IF;
        -- SET ROLE needs membership unless the owner is a superuser.
        IF NOT pg_has_role(current_user, 'dora_app', 'MEMBER') THEN
          EXECUTE format('GRANT dora_app TO %I', current_user);
        END IF;
      END
      $$`);

    await db.query(/* sql */ `
      CREATE TABLE tenants (
        id                      uuid PRIMARY KEY,
        slug                    text NOT NULL UNIQUE
                                CHECK (slug ~ '^[a-z0-9][a-z0-9._-]{0,39}$'
                                       AND slug NOT IN ('api', 'login', 'logout', 'assets', 'healthz', 'readyz', 'metrics', 'docs')),
        name                    text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        window_days             integer NOT NULL DEFAULT 30 CHECK (window_days IN (7, 30, 90)),
        timezone                text NOT NULL DEFAULT 'UTC',
        max_token_lifetime_days integer CHECK (max_token_lifetime_days > 0),
        created_at              timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(/* sql */ `
      CREATE TABLE users (
        id            uuid PRIMARY KEY,
        email         text NOT NULL CHECK (email ~ '^[^@\\s]+@[^@\\s]+$'),
        password_hash text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);

    await db.query(/* sql */ `
      CREATE TABLE memberships (
        tenant_id  uuid NOT NULL REFERENCES tenants (id),
        user_id    uuid NOT NULL REFERENCES users (id),
        role       text NOT NULL CHECK (role IN ('admin', 'viewer')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, user_id)
      )`);
    await db.query(`CREATE INDEX memberships_user_idx ON memberships (user_id)`);

    await db.query(/* sql */ `
      CREATE TABLE sessions (
        id         text PRIMARY KEY,
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        csrf_token text NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX sessions_user_idx ON sessions (user_id)`);

    await db.query(/* sql */ `
      CREATE TABLE api_tokens (
        tenant_id    uuid NOT NULL REFERENCES tenants (id),
        id           uuid NOT NULL,
        name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        prefix       text NOT NULL,
        token_hash   text NOT NULL,
        scopes       text[] NOT NULL
                     CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['findings:write', 'dora:read', 'dora:admin']),
        origin       text NOT NULL DEFAULT 'minted' CHECK (origin IN ('minted', 'exchanged')),
        created_by   uuid REFERENCES users (id),
        issuer       text,
        subject      text,
        expires_at   timestamptz,
        last_used_at timestamptz,
        revoked_at   timestamptz,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
    // Token lookup happens before the tenant is known: by the secret's non-secret prefix.
    await db.query(`CREATE INDEX api_tokens_prefix_idx ON api_tokens (prefix)`);

    await db.query(/* sql */ `
      CREATE TABLE dora_deployments (
        tenant_id      uuid NOT NULL REFERENCES tenants (id),
        id             uuid NOT NULL,
        repo_full_name text NOT NULL,
        environment    text NOT NULL,
        deployed_at    timestamptz NOT NULL,
        commit_sha     text,
        committed_at   timestamptz,
        success        boolean NOT NULL DEFAULT true,
        is_rework      boolean NOT NULL DEFAULT false,
        external_ref   text,
        source         text NOT NULL CHECK (source IN ('api', 'forgejo')),
        token_id       uuid,
        delivery_id    uuid,
        release_tag    text,
        created_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, token_id) REFERENCES api_tokens (tenant_id, id)
      )`);
    await db.query(/* sql */ `
      CREATE UNIQUE INDEX dora_deployments_external_ref_key
        ON dora_deployments (tenant_id, repo_full_name, environment, external_ref)
        WHERE external_ref IS NOT NULL`);
    await db.query(/* sql */ `
      CREATE UNIQUE INDEX dora_deployments_release_tag_key
        ON dora_deployments (tenant_id, repo_full_name, environment, release_tag)
        WHERE source = 'forgejo'`);
    await db.query(/* sql */ `
      CREATE INDEX dora_deployments_deployed_at_idx ON dora_deployments (tenant_id, environment, deployed_at)`);

    await db.query(/* sql */ `
      CREATE TABLE audit_events (
        tenant_id    uuid NOT NULL REFERENCES tenants (id),
        id           uuid NOT NULL,
        occurred_at  timestamptz NOT NULL DEFAULT now(),
        action       text NOT NULL,
        actor_type   text NOT NULL CHECK (actor_type IN ('token', 'user', 'webhook', 'system')),
        actor_id     text,
        subject_type text,
        subject_id   text,
        request_id   text,
        ip           inet,
        metadata     jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (tenant_id, id)
      )`);
    // A superuser ignores REVOKE, so append-only is a trigger.
    await db.query(/* sql */ `
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await db.query(/* sql */ `
      CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await db.query(/* sql */ `
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);

    const currentTenant = `nullif(current_setting('dora.tenant_id', true), '')::uuid`;
    const isolate = async (table: string, using: string) => {
      await db.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await db.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await db.query(`CREATE POLICY ${table}_tenant_isolation ON ${table} USING (${using}) WITH CHECK (${using})`);
    };
    await isolate('tenants', `id = ${currentTenant}`);
    for (const table of ['memberships', 'api_tokens', 'dora_deployments', 'audit_events']) {
      await isolate(table, `tenant_id = ${currentTenant}`);
    }
    // Users belong to no single org: a tenant sees the users that are its members.
    await isolate('users', `EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = ${currentTenant})`);

    await db.query(/* sql */ `
      DO $$
      BEGIN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO dora_app', current_schema());
      END
      $$`);
    await db.query(`GRANT SELECT, INSERT, UPDATE (name, window_days, timezone, max_token_lifetime_days) ON tenants TO dora_app`);
    await db.query(`GRANT SELECT (id, email, created_at) ON users TO dora_app`);
    await db.query(`GRANT SELECT, INSERT, UPDATE (role), DELETE ON memberships TO dora_app`);
    await db.query(`GRANT SELECT, INSERT, UPDATE (last_used_at, revoked_at) ON api_tokens TO dora_app`);
    await db.query(`GRANT SELECT, INSERT ON dora_deployments TO dora_app`);
    await db.query(`GRANT SELECT, INSERT ON audit_events TO dora_app`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(/* sql */ `
      DROP TABLE audit_events, dora_deployments, api_tokens, sessions, memberships, users, tenants;
      DROP FUNCTION audit_events_append_only()`);
  }
}
