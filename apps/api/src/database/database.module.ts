import { type DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { DatabaseTimeouts, ReadReplicaConfig } from '../config/config.js';
import { DatabaseHealth } from './database-health.js';
import { dataSourceOptions } from './data-source.js';
import { OPEN_DATABASE, READ_REPLICA } from './database-tokens.js';
import type { OpenDatabase } from './open-database.js';
import { ReadReplica } from './read-replica.js';
import { Transactions } from './transactions.js';

@Global()
@Module({})
export class DatabaseModule {
  /** `readReplica`: where the metric reads go when it is in use (the server's, never the CLI's). */
  static forRoot(database: OpenDatabase, timeouts: DatabaseTimeouts, readReplica?: ReadReplicaConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          // A few retries bridge a database that starts together with the service; then fail loudly.
          useFactory: () => ({ ...dataSourceOptions(database, timeouts), retryAttempts: 5, retryDelay: 2000 }),
          dataSourceFactory: async (options) => listenToConnectionErrors(await new DataSource(options!).initialize()),
        }),
      ],
      providers: [
        Transactions,
        DatabaseHealth,
        { provide: OPEN_DATABASE, useValue: database },
        {
          provide: READ_REPLICA,
          inject: [DataSource],
          useFactory: async (primary: DataSource) => {
            if (!readReplica) return null;
            const replica = new ReadReplica(readReplica, timeouts, primary);
            await replica.start();
            return replica;
          },
        },
      ],
      exports: [Transactions, DatabaseHealth, OPEN_DATABASE, READ_REPLICA],
    };
  }
}

const logger = new Logger('Database');

/**
 * A connection the database drops (a restart's 57P01) emits 'error', possibly more than once and while
 * no query runs on it; TypeORM listens while a query runner holds it, the pool while it is idle, and an
 * 'error' nobody hears ends the process (seen once under a PostgreSQL restart). So every connection
 * gets a listener for its whole life, whichever window the error falls in: the pool discards the broken
 * connection, the request that used it answers 503, and the service keeps running.
 */
function listenToConnectionErrors(dataSource: DataSource): DataSource {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  pool.on('connect', (client: PoolClient) => client.on('error', (error: Error) => logger.warn(`a database connection broke: ${error.message}`)));
  return dataSource;
}
