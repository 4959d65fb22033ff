import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { isUuid } from '../common/uuid.js';
import { OPEN_DATABASE } from './database-tokens.js';
import type { OpenDatabase } from './open-database.js';

/**
 * The paths that must look across tenants before a tenant is known (DESIGN §3). They run as the
 * owner role; everything else runs as `dora_app` under row-level security.
 */
export type CrossTenantPath =
  | 'token lookup'
  | 'session lookup'
  | 'login'
  | 'org lookup'
  | 'operator cli'
  | 'first-start bootstrap'
  | 'service status'
  | 'webhook inbox'
  | 'token exchange';

/** One open transaction; repositories take it as their first argument so a change and its audit event share it. */
export class Tx {
  constructor(private readonly runner: QueryRunner) {}

  async query<Row extends object>(sql: string, params: unknown[] = []): Promise<Row[]> {
    const result = await this.runner.query(sql, params, true);
    return result.records as Row[];
  }

  /** Runs a statement and answers how many rows it touched. */
  async execute(sql: string, params: unknown[] = []): Promise<number> {
    const result = await this.runner.query(sql, params, true);
    return result.affected ?? 0;
  }
}

@Injectable()
export class Transactions {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(OPEN_DATABASE) private readonly database: OpenDatabase,
  ) {}

  /** Tenant work: `dora_app` role and tenant id, both transaction-local, so nothing outlives the transaction. */
  async inTenant<T>(tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    if (!isUuid(tenantId)) throw new Error(`Not a tenant id: ${JSON.stringify(tenantId)}`);
    // BEGIN and the tenant in one round trip (the id is a checked UUID, safe to inline). Always BEGIN
    // first: a SET LOCAL outside a transaction is only a warning and leaves row-level security bypassed.
    return this.transaction(
      `BEGIN; SELECT set_config('role', 'dora_app', true), set_config('dora.tenant_id', '${tenantId}', true)`,
      work,
    );
  }

  /** Owner work across tenants, for the named paths only (the name makes every such call easy to find). */
  acrossTenants<T>(_path: CrossTenantPath, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.transaction('BEGIN', work);
  }

  /**
   * One cross-tenant read statement on the hot path. PostgreSQL needs no transaction around it; the
   * embedded database does, because all its connections share one session, where another client's
   * statement can slip between the messages of one that is not inside a transaction.
   */
  async readAcrossTenants<T>(path: CrossTenantPath, work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.database.kind === 'embedded') return this.acrossTenants(path, work);
    const runner = this.dataSource.createQueryRunner();
    try {
      return await work(new Tx(runner));
    } finally {
      await runner.release();
    }
  }

  private async transaction<T>(begin: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.query(begin);
      let result: T;
      try {
        result = await work(new Tx(runner));
      } catch (error) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      await runner.query('COMMIT');
      return result;
    } finally {
      await runner.release();
    }
  }
}
