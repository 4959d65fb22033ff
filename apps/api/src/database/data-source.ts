import type { DataSourceOptions } from 'typeorm';
import { InitialSchema1795690000000 } from './migrations/1795690000000-initial-schema.js';
import { MetricsDerivedColumns1795700000000 } from './migrations/1795700000000-metrics-derived-columns.js';
import { WebhookDeliveries1795710000000 } from './migrations/1795710000000-webhook-deliveries.js';
import { IdentityProviders1795720000000 } from './migrations/1795720000000-identity-providers.js';
import { TenantTrust1795730000000 } from './migrations/1795730000000-tenant-trust.js';
import type { OpenDatabase } from './open-database.js';

export const migrations = [
  InitialSchema1795690000000,
  MetricsDerivedColumns1795700000000,
  WebhookDeliveries1795710000000,
  IdentityProviders1795720000000,
  TenantTrust1795730000000,
];

export function dataSourceOptions(database: OpenDatabase): DataSourceOptions {
  return {
    type: 'postgres',
    url: database.url,
    poolSize: database.poolSize,
    migrations,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: {
      application_name: 'dora',
      connectionTimeoutMillis: 10_000,
      // The session time zone is always UTC (DESIGN §3); bounded statements keep a stuck query from holding the pool.
      options: '-c TimeZone=UTC',
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
    },
  };
}
