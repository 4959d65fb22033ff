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
