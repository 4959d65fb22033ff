// Brings up the run's database: DATABASE_URL when it is set (CI gives a fresh one per run), else the
// embedded default, in memory, and migrates it once. Tests isolate by tenant: the audit log cannot be
// truncated. Plain ESM on the build (`api:test` depends on `api:build`): jest loads global setup
// outside its ESM transform.
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../dist/database/data-source.js';
import { startEmbeddedDatabase } from '../../dist/database/embedded/embedded-database.js';
import { migrate } from '../../dist/database/migrate.js';

export default async function globalSetup() {
  let url = process.env.DATABASE_URL?.trim();
  let kind = 'postgresql';
  if (!url) {
    globalThis.embeddedTestDatabase = await startEmbeddedDatabase({ pgDataDir: undefined, maxConnections: 20 });
    url = globalThis.embeddedTestDatabase.url;
    kind = 'embedded';
  }
  process.env.DORA_TEST_DATABASE_URL = url;
  process.env.DORA_TEST_DATABASE_KIND = kind;
  const dataSource = new DataSource(dataSourceOptions({ url, kind, poolSize: 1 }));
  await dataSource.initialize();
  try {
    await migrate(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
