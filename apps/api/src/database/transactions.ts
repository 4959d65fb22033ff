import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';

/**
 * The paths that must look across tenants before a tenant is known (DESIGN §3). They run as the
 * owner role; everything else runs as `dora_app` under row-level security.
 */
export type CrossTenantPath =
  | 'token lookup'
  | 'org lookup'
  | 'operator cli'
  | 'first-start bootstrap'
  | 'service status';

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
  constructor(private readonly dataSource: DataSource) {}

  /** Tenant work: `dora_app` role and tenant id, both transaction-local, so nothing outlives the transaction. */
  inTenant<T>(tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run(work, tenantId);
  }

  /** Owner work across tenants, for the named paths only (the name makes every such call easy to find). */
  acrossTenants<T>(_path: CrossTenantPath, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run(work);
  }

  private async run<T>(work: (tx: Tx) => Promise<T>, tenantId?: string): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      // Always BEGIN first: a SET LOCAL outside a transaction is only a warning and leaves RLS bypassed.
      await runner.startTransaction();
      if (tenantId !== undefined) {
        await runner.query(`SELECT set_config('role', 'dora_app', true), set_config('dora.tenant_id', $1, true)`, [tenantId]);
      }
      const result = await work(new Tx(runner));
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}
