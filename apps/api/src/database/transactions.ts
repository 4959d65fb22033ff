import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import { isUuid } from '../common/uuid.js';
import { OPEN_DATABASE, READ_REPLICA } from './database-tokens.js';
import type { OpenDatabase } from './open-database.js';
import { isConnectionFailure } from './postgres-errors.js';
import type { ReadReplica } from './read-replica.js';

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

type Run = (sql: string, params: unknown[]) => Promise<{ rows: object[]; affected: number }>;

/** One open transaction; repositories take it as their first argument so a change and its audit event share it. */
export class Tx {
  constructor(private readonly run: Run) {}

  static of(runner: QueryRunner): Tx {
    return new Tx(async (sql, params) => {
      const result = await runner.query(sql, params, true);
      return { rows: result.records as object[], affected: result.affected ?? 0 };
    });
  }

  async query<Row extends object>(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.run(sql, params)).rows as Row[];
  }

  /** Runs a statement and answers how many rows it touched. */
  async execute(sql: string, params: unknown[] = []): Promise<number> {
    return (await this.run(sql, params)).affected;
  }
}

/**
 * Records a change of an org's configuration (settings, teams and their rules): the org's metric reads
 * stay on the primary until the read replica has replayed it (`readInTenant`). Call it before the
 * transaction's other writes: on Citus a reference table (tenants) can no longer be written once the
 * transaction has touched a distributed table in parallel.
 */
export async function raiseConfigVersion(tx: Tx, tenantId: string): Promise<void> {
  await tx.query(`UPDATE tenants SET config_version = config_version + 1 WHERE id = $1`, [tenantId]);
}

/** A read's answer, and the moment of the primary's data it reflects (earlier than now on a lagging replica). */
export interface Served<T> {
  value: T;
  dataAsOf: Date;
  source: 'primary' | 'replica';
}

/** The answer built from a read, still saying where and as of when it was read. */
export function withValue<T>(served: Served<unknown>, value: T): Served<T> {
  return { ...served, value };
}

/** The org a metric read is for: its id, and the version of its configuration the read must see. */
export interface ReadScope {
  id: string;
  config_version: number;
}

@Injectable()
export class Transactions {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(OPEN_DATABASE) private readonly database: OpenDatabase,
    @Inject(READ_REPLICA) private readonly replica: ReadReplica | null,
  ) {}

  /** Tenant work: `dora_app` role and tenant id, both transaction-local, so nothing outlives the transaction. */
  async inTenant<T>(tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.transaction(beginInTenant(tenantId), work);
  }

  /**
   * A metric read: on the read replica while it is in use and has replayed the org's configuration
   * (a settings change reaches the replica a moment later; until then the read runs on the primary,
   * so no number is computed with the old configuration), else on the primary.
   */
  async readInTenant<T>(org: ReadScope, work: (tx: Tx) => Promise<T>): Promise<Served<T>> {
    if (this.replica?.status.inUse) {
      try {
        const served = await this.onReplica(org, work);
        if (served) return served;
      } catch (error) {
        if (!isConnectionFailure(error)) throw error;
        this.replica.markUnreachable(error);
      }
    }
    // The primary's data: everything committed before the read began.
    const dataAsOf = new Date();
    return { value: await this.inTenant(org.id, work), dataAsOf, source: 'primary' };
  }

  /** Undefined when the replica has not yet replayed the org's configuration. */
  private async onReplica<T>(org: ReadScope, work: (tx: Tx) => Promise<T>): Promise<Served<T> | undefined> {
    const client = await this.replica!.pool.connect();
    let broken = false;
    try {
      await client.query(beginInTenant(org.id));
      const tx = new Tx(async (sql, params) => {
        const results: pg.QueryResult | pg.QueryResult[] = await client.query(sql, params);
        const result = Array.isArray(results) ? results.at(-1)! : results; // several statements: the last one's
        return { rows: result.rows, affected: result.rowCount ?? 0 };
      });
      // Everything received replayed: the data is the primary's of about now; else of the last replayed commit.
      const [replayed] = await tx.query<{ config_version: string | null; data_as_of: Date }>(
        `SELECT (SELECT config_version FROM tenants WHERE id = $1) AS config_version,
                CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN now()
                     ELSE pg_last_xact_replay_timestamp() END AS data_as_of`,
        [org.id],
      );
      if (replayed!.config_version === null || Number(replayed!.config_version) < org.config_version) return undefined;
      const value = await work(tx);
      return { value, dataAsOf: replayed!.data_as_of, source: 'replica' };
    } catch (error) {
      broken = isConnectionFailure(error);
      throw error;
    } finally {
      await client.query('ROLLBACK').catch(() => (broken = true));
      client.release(broken);
    }
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
      return await work(Tx.of(runner));
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
        result = await work(Tx.of(runner));
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

/**
 * BEGIN and the tenant in one round trip (the id is a checked UUID, safe to inline). Always BEGIN
 * first: a SET LOCAL outside a transaction is only a warning and leaves row-level security bypassed.
 * `SET LOCAL` rather than `set_config()`: Citus sends the former along to its workers (DESIGN §3), so
 * PostgreSQL, the embedded database and Citus all run this one statement.
 */
function beginInTenant(tenantId: string): string {
  if (!isUuid(tenantId)) throw new Error(`Not a tenant id: ${JSON.stringify(tenantId)}`);
  return `BEGIN; SET LOCAL ROLE dora_app; SET LOCAL dora.tenant_id = '${tenantId}'`;
}
