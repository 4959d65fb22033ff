import { existsSync } from 'node:fs';
import { type DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import type { OpenDatabase } from './database/open-database.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { IngestModule } from './modules/ingest/ingest.module.js';
import { MetricsModule } from './modules/metrics/metrics.module.js';
import { ObservabilityModule } from './modules/observability/observability.module.js';
import { TeamsModule } from './modules/teams/teams.module.js';
import { TenancyModule } from './modules/tenancy/tenancy.module.js';
import { WebhookModule } from './modules/webhook/webhook.module.js';

/** The built dashboard, served on the API's port when it exists (`npm start` builds it). */
const DASHBOARD_DIR = new URL('../../dashboard/dist', import.meta.url).pathname;

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: OpenDatabase): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(database, config.databaseTimeouts, config.readReplica),
        ObservabilityModule,
        AuditModule,
        TenancyModule,
        AuthModule,
        TeamsModule,
        IngestModule,
        MetricsModule,
        HealthModule,
        WebhookModule,
        ...(existsSync(DASHBOARD_DIR)
          ? [ServeStaticModule.forRoot({ rootPath: DASHBOARD_DIR, exclude: ['/api/{*path}', '/healthz', '/readyz', '/metrics', '/reporter.mjs'] })]
          : []),
      ],
    };
  }
}
