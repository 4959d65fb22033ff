import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { ConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import type { OpenDatabase } from '../database/open-database.js';
import { AuthModule } from '../modules/auth/auth.module.js';
import { IngestModule } from '../modules/ingest/ingest.module.js';
import { ForgejoOwnersModule } from '../modules/webhook/forgejo-owners.module.js';
import { ObservabilityModule } from '../modules/observability/observability.module.js';
import { TenancyModule } from '../modules/tenancy/tenancy.module.js';

/** What the operator CLI needs: the services, no HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig, database: OpenDatabase): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(database, config.databaseTimeouts), ObservabilityModule, TenancyModule, AuthModule, IngestModule, ForgejoOwnersModule],
    };
  }
}
