import type { DataSource, QueryRunner } from 'typeorm';

/** Small tables read before a tenant is known, or by every request: a copy on every node. */
const REFERENCE_TABLES = ['tenants', 'users', 'memberships', 'sessions', 'api_tokens', 'identity_providers', 'forgejo_owners'];
/** The tenants' data, spread over the workers by tenant and co-located: one tenant's rows on one node. */
const DISTRIBUTED_TABLES = ['dora_deployments', 'audit_events', 'teams', 'team_rules', 'deployment_targets', 'dora_deployment_commits', 'dora_changes', 'dora_change_counts', 'badge_keys', 'dora_deployment_counts'];
/** Claimed across tenants with SKIP LOCKED, which Citus refuses on distributed tables: a plain table of the coordinator. */
const COORDINATOR_TABLES = ['webhook_deliveries'];

type Queryable = Pick<QueryRunner, 'query'> | Pick<DataSource, 'query'>;

/** The database is a Citus coordinator: the operator created the extension (README "Scaling out"). */
export async function isCitus(db: Queryable): Promise<boolean> {
  const rows = (await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`)) as unknown[];
  return rows.length > 0;
}

/**
 * On a Citus coordinator whose tables are not distributed yet — a fresh install, or an existing one
 * moved onto Citus — distributes them, rows included, in one transaction; on one distributed before,
 * the tables that later migrations added; then it does nothing.
 * Runs as the schema owner after the migrations, at every start (DESIGN §3).
 */
export async function distributeOnCitus(db: Queryable): Promise<boolean> {
  if (!(await isCitus(db))) return false;
  // A table a migration created with a key to a reference table is already a Citus "local" table: not done.
  const done = ((await db.query(`SELECT table_name::text AS name FROM citus_tables WHERE citus_table_type <> 'local'`)) as { name: string }[]).map((row) => row.name);
  const added = DISTRIBUTED_TABLES.filter((table) => !done.includes(table));
  if (added.length === 0) return false;
  await db.query('BEGIN');
  try {
    if (done.includes(DISTRIBUTED_TABLES[0]!)) await distributeAdded(db, added);
    else await distribute(db);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
  return true;
}

/**
 * The foreign keys among the tables are set aside, the tables become reference or distributed tables
 * (their rows copied to the nodes), and the keys come back — all but those to and from the webhook
 * queue, which a distributed table may not reference.
 */
async function distribute(db: Queryable): Promise<void> {
  await db.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
  const keys = await setKeysAside(db, [...REFERENCE_TABLES, ...DISTRIBUTED_TABLES, ...COORDINATOR_TABLES]);

  // Citus runs no triggers on distributed tables: the audit log stays append-only by privileges
  // (the service may only INSERT and SELECT it).
  await db.query(`DROP TRIGGER audit_events_no_update_delete ON audit_events`);
  await db.query(`DROP TRIGGER audit_events_no_truncate ON audit_events`);

  for (const table of REFERENCE_TABLES) await db.query(`SELECT create_reference_table($1)`, [table]);
  const [first, ...colocated] = DISTRIBUTED_TABLES;
  await db.query(`SELECT create_distributed_table($1, 'tenant_id')`, [first]);
  for (const table of colocated) await db.query(`SELECT create_distributed_table($1, 'tenant_id', colocate_with => $2)`, [table, first]);

  await restoreKeys(db, keys);

  // Citus opens its connections to the workers as the current user, dora_app included (so it must log
  // in there: README "Scaling out" says how to restrict it), and sends a transaction's SET LOCAL (the
  // tenant) along only with this setting.
  await db.query(`ALTER ROLE dora_app LOGIN`);
  await db.query(/* sql */ `
    DO $$
    BEGIN
      EXECUTE format('ALTER DATABASE %I SET citus.propagate_set_commands = %L', current_database(), 'local');
    END
    $$`);
}

/**
 * The tables later migrations added, on an install distributed before them (they are Citus "local"
 * tables by then, through their keys to reference tables), co-located with the deployments; their keys
 * set aside meanwhile, since a local table may not reference a distributed one.
 */
async function distributeAdded(db: Queryable, added: string[]): Promise<void> {
  await db.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
  const keys = await setKeysAside(db, added);
  for (const table of added) await db.query(`SELECT create_distributed_table($1, 'tenant_id', colocate_with => $2)`, [table, DISTRIBUTED_TABLES[0]]);
  await restoreKeys(db, keys);
}

interface ForeignKey {
  table: string;
  name: string;
  definition: string;
  references: string;
}

/** Drops the foreign keys of `tables` and answers them, to be restored once the tables are distributed. */
async function setKeysAside(db: Queryable, tables: string[]): Promise<ForeignKey[]> {
  const keys = (await db.query(
    `SELECT conrelid::regclass::text AS "table", conname AS name, pg_get_constraintdef(oid) AS definition, confrelid::regclass::text AS "references"
       FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY ($1)`,
    [tables],
  )) as ForeignKey[];
  for (const key of keys) await db.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${key.name}`);
  return keys;
}

/** All but the keys to and from the webhook queue, which a distributed table may not reference. */
async function restoreKeys(db: Queryable, keys: ForeignKey[]): Promise<void> {
  for (const key of keys) {
    if (COORDINATOR_TABLES.includes(key.table) || COORDINATOR_TABLES.includes(key.references)) continue;
    await db.query(`ALTER TABLE ${key.table} ADD CONSTRAINT ${key.name} ${key.definition}`);
  }
}
