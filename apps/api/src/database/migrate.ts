import { type DataSource, MigrationExecutor } from 'typeorm';

/** Any constant shared by every process of this service; serialises migrations of instances starting together. */
const MIGRATION_LOCK_KEY = 7_140_211_901;

/** Runs the pending migrations in one transaction and answers their names. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executed = await new MigrationExecutor(dataSource, runner).executePendingMigrations();
      return executed.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/**
 * The connecting role does the cross-tenant lookups (tokens by prefix, the operator CLI), which forced
 * row-level security would hide from a plain table owner: it must be a superuser or have BYPASSRLS.
 */
export async function assertOwnerBypassesRowSecurity(db: Pick<DataSource, 'query'>): Promise<void> {
  const [role] = (await db.query(
    `SELECT current_user AS name, rolsuper OR rolbypassrls AS bypasses FROM pg_roles WHERE rolname = current_user`,
  )) as { name: string; bypasses: boolean }[];
  if (!role?.bypasses) {
    throw new Error(
      `The database user "${role?.name}" cannot bypass row-level security, which the service's cross-tenant lookups need. ` +
        `Connect as the database owner with BYPASSRLS (ALTER ROLE "${role?.name}" BYPASSRLS) or as a superuser.`,
    );
  }
}
