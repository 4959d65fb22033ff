import type { OpenDatabase } from '../../src/database/open-database.js';

/** The run's database (see global-setup), as the app would have opened it. */
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
