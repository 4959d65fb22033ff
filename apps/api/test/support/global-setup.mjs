// Brings up the run's database: DATABASE_URL when it is set (CI gives a fresh one per run), else the
// embedded default, in memory, and migrates it once. On PostgreSQL the tests then run as a role that
// owns nothing — as the README sets production up — while migrations and the tests' own look at the
// rows use the DATABASE_URL role (the owner). Tests isolate by tenant: the audit log cannot be
// truncated. Plain ESM on the build (`api:test` depends on `api:build`): jest loads global setup
// outside its ESM transform.
import pg from 'pg';
import { startEmbeddedDatabase } from '../../dist/database/embedded/embedded-database.js';
import { migrateAsOwner } from '../../dist/database/migrate.js';

const RUNTIME_ROLE = 'dora_test_runtime';

export default async function globalSetup() {
  let url = process.env.DATABASE_URL?.trim();
  let kind = 'postgresql';
  if (!url) {
    globalThis.embeddedTestDatabase = await startEmbeddedDatabase({ dataDir: undefined, maxConnections: 20 });
    url = globalThis.embeddedTestDatabase.url;
    kind = 'embedded';
  }
  await migrateAsOwner({ kind, url, poolSize: 1 }, url);
  process.env.DORA_TEST_OWNER_URL = url;
  process.env.DORA_TEST_DATABASE_URL = kind === 'postgresql' ? await runtimeRoleUrl(url) : url;
  process.env.DORA_TEST_DATABASE_KIND = kind;
}

/** The URL of a login role that owns nothing: BYPASSRLS for the cross-tenant paths and a member of dora_service. */
async function runtimeRoleUrl(ownerUrl) {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    await owner.query(`
      DO $$
      BEGIN
        CREATE ROLE ${RUNTIME_ROLE} LOGIN BYPASSRLS;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL; -- an earlier run (or a concurrent one) made it
      END
      $$`);
    await owner.query(`GRANT dora_service TO ${RUNTIME_ROLE}`);
    const url = new URL(ownerUrl);
    url.username = RUNTIME_ROLE;
    if (url.password) {
      // A server that asks for passwords: the test role logs in with one of its own.
      await owner.query(`ALTER ROLE ${RUNTIME_ROLE} PASSWORD '${RUNTIME_ROLE}'`);
      url.password = RUNTIME_ROLE;
    }
    return url.toString();
  } finally {
    await owner.end();
  }
}
