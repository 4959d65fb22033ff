import type { OpenDatabase } from '../../src/database/open-database.js';

/**
 * The run's database (see global-setup), as the app would have opened it: on PostgreSQL as a runtime role
 * that owns nothing (as production should run), on the embedded database as its only role.
 */
export function testDatabase(): OpenDatabase {
  const url = process.env.DORA_TEST_DATABASE_URL;
  const kind = process.env.DORA_TEST_DATABASE_KIND as OpenDatabase['kind'] | undefined;
  if (!url || !kind) throw new Error('The test database is not set up: run the tests through `npm test`');
  return {
    kind,
    url,
    // The embedded database is one session: one connection per app, as in production.
    poolSize: kind === 'embedded' ? 1 : 5,
    owned: true,
    description: `test database (${kind})`,
    close: async () => undefined,
  };
}

/** The schema owner's URL: what migrations run as, and what tests use to look at (or tamper with) any row. */
export function ownerUrl(): string {
  return process.env.DORA_TEST_OWNER_URL ?? testDatabase().url;
}

/** The environment of a server process on the run's PostgreSQL: the runtime role, migrating as the owner. */
export function postgresServerEnv(): Record<string, string> {
  return { DATABASE_URL: testDatabase().url, DATABASE_MIGRATE_URL: ownerUrl() };
}
