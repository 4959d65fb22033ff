import { DataSource, MigrationExecutor } from 'typeorm';
import { distributeOnCitus } from './citus.js';
import { dataSourceOptions } from './data-source.js';
import type { OpenDatabase } from './open-database.js';

/** Any constant shared by every process of this service; serialises migrations of instances starting together. */
const MIGRATION_LOCK_KEY = 7_140_211_901;

/** Runs the pending migrations in one transaction (then distributes the tables on a Citus coordinator, once) and answers what it did. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executed = await new MigrationExecutor(dataSource, runner).executePendingMigrations();
      const distributed = await distributeOnCitus(runner);
      return [...executed.map((migration) => migration.name), ...(distributed ? ['distributed on Citus'] : [])];
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** Migrates as the schema owner (`DATABASE_MIGRATE_URL`, else the service's own URL), on a connection of its own. */
export async function migrateAsOwner(database: OpenDatabase, ownerUrl: string): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions({ ...database, url: ownerUrl, poolSize: 1 }));
  await dataSource.initialize();
  try {
    return await migrate(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

export class RuntimeRoleError extends Error {}

/**
 * The service's own role does the cross-tenant lookups (tokens by prefix, the operator CLI), which forced
 * row-level security would hide: it must bypass RLS. It should own nothing (README "Security"): a role that
 * owns the tables can disable the audit log's trigger. Answers whether it owns them (a single-role install).
 */
export async function checkRuntimeRole(db: Pick<DataSource, 'query'>): Promise<{ name: string; ownsSchema: boolean }> {
  const [role] = (await db.query(/* sql */ `
    SELECT r.rolname AS name, r.rolsuper OR r.rolbypassrls AS bypasses,
           r.rolsuper OR pg_has_role(r.oid, (SELECT relowner FROM pg_class WHERE oid = 'audit_events'::regclass), 'MEMBER') AS owns_schema,
           pg_has_role(r.oid, 'dora_service', 'MEMBER') AS in_service
      FROM pg_roles r WHERE r.rolname = current_user`)) as { name: string; bypasses: boolean; owns_schema: boolean; in_service: boolean }[];
  if (!role?.bypasses) {
    throw new RuntimeRoleError(
      `The database user "${role?.name}" cannot bypass row-level security, which the service's cross-tenant lookups need: ` +
        `ALTER ROLE "${role?.name}" BYPASSRLS (as a superuser).`,
    );
  }
  if (!role.owns_schema && !role.in_service) {
    throw new RuntimeRoleError(`The database user "${role.name}" has no privileges on the service's tables: GRANT dora_service TO "${role.name}".`);
  }
  return { name: role.name, ownsSchema: role.owns_schema };
}
