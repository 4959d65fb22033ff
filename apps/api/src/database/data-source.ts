import type { DataSourceOptions } from 'typeorm';
import type { DatabaseTimeouts } from '../config/config.js';
import { InitialSchema1795690000000 } from './migrations/1795690000000-initial-schema.js';
import { MetricsDerivedColumns1795700000000 } from './migrations/1795700000000-metrics-derived-columns.js';
import { WebhookDeliveries1795710000000 } from './migrations/1795710000000-webhook-deliveries.js';
import { IdentityProviders1795720000000 } from './migrations/1795720000000-identity-providers.js';
import { TenantTrust1795730000000 } from './migrations/1795730000000-tenant-trust.js';
import { ConfigVersion1795740000000 } from './migrations/1795740000000-config-version.js';
import { ScaleOut1795750000000 } from './migrations/1795750000000-scale-out.js';
import { Teams1795760000000 } from './migrations/1795760000000-teams.js';
import { ChangeSets1795770000000 } from './migrations/1795770000000-change-sets.js';
import { LeadTimeBasis1795780000000 } from './migrations/1795780000000-lead-time-basis.js';
import { ChangeCounts1795790000000 } from './migrations/1795790000000-change-counts.js';
import { IngestFunctions1795800000000 } from './migrations/1795800000000-ingest-functions.js';
import { BatchIngest1795810000000 } from './migrations/1795810000000-batch-ingest.js';
import { BadgeKeys1795820000000 } from './migrations/1795820000000-badge-keys.js';
import { DeploymentCounts1795830000000 } from './migrations/1795830000000-deployment-counts.js';
import type { OpenDatabase } from './open-database.js';

export const migrations = [
  InitialSchema1795690000000,
  MetricsDerivedColumns1795700000000,
  WebhookDeliveries1795710000000,
  IdentityProviders1795720000000,
  TenantTrust1795730000000,
  ConfigVersion1795740000000,
  ScaleOut1795750000000,
  Teams1795760000000,
  ChangeSets1795770000000,
  LeadTimeBasis1795780000000,
  ChangeCounts1795790000000,
  IngestFunctions1795800000000,
  BatchIngest1795810000000,
  BadgeKeys1795820000000,
  DeploymentCounts1795830000000,
];

/** Migrations wait as long as they need: they run once, at start, before anything is served. */
const MIGRATION_TIMEOUTS: DatabaseTimeouts = { statementMs: 0, acquireMs: 30_000 };

export function dataSourceOptions(database: OpenDatabase, timeouts: DatabaseTimeouts = MIGRATION_TIMEOUTS): DataSourceOptions {
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
      // Waiting for a pooled connection (or a new one): a database that is away or saturated is a 503, not a hang.
      connectionTimeoutMillis: timeouts.acquireMs,
      // The session time zone is always UTC (DESIGN §3); bounded statements keep a stuck query (or a lock
      // held by someone else) from holding the pool.
      options: '-c TimeZone=UTC',
      statement_timeout: timeouts.statementMs,
      idle_in_transaction_session_timeout: 60_000,
    },
  };
}
