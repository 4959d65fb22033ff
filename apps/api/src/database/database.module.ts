import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseHealth } from './database-health.js';
import { dataSourceOptions } from './data-source.js';
import { OPEN_DATABASE } from './database-tokens.js';
import type { OpenDatabase } from './open-database.js';
import { Transactions } from './transactions.js';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(database: OpenDatabase): DynamicModule {
    return {
      module: DatabaseModule,
      // A few retries bridge a database that starts together with the service; then fail loudly.
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(database), retryAttempts: 5, retryDelay: 2000 })],
      providers: [Transactions, DatabaseHealth, { provide: OPEN_DATABASE, useValue: database }],
      exports: [Transactions, DatabaseHealth, OPEN_DATABASE],
    };
  }
}
