import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Scope } from '@dora/domain';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import pg from 'pg';
import { createApp } from '../../src/app.js';
import { type AppConfig, loadConfig } from '../../src/config/config.js';
import type { OpenDatabase } from '../../src/database/open-database.js';
import { TokensService } from '../../src/modules/auth/tokens.service.js';
import type { Tenant } from '../../src/modules/tenancy/tenants.repository.js';
import { TenantsService } from '../../src/modules/tenancy/tenants.service.js';
import { ownerUrl, testDatabase } from './test-database.js';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  /** Runs SQL as the schema owner (row-level security bypassed), in a transaction, for assertions. */
  ownerQuery<Row extends object>(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

/** The real HTTP application on the run's database. `env` is all the environment it sees. */
export async function startTestApp(env: Record<string, string> = {}, database: OpenDatabase = testDatabase()): Promise<TestApp> {
  const config = loadConfig(env);
  const app = await createApp(config, database);
  await app.init();
  const owner = new pg.Pool({ connectionString: ownerUrl(), max: 1, options: '-c TimeZone=UTC' });
  owner.on('error', () => undefined); // a connection the database dropped is replaced on the next query
  return {
    app,
    config,
    http: () => request(app.getHttpServer()),
    ownerQuery: async <Row extends object>(sql: string, params: unknown[] = []) => {
      const client = await owner.connect();
      try {
        await client.query('BEGIN');
        const result = await client.query<Row>(sql, params);
        await client.query('COMMIT');
        return result.rows;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: async () => {
      await app.close();
      await owner.end();
    },
  };
}

/** A slug no other test (or earlier run on the same database) uses. */
export function uniqueSlug(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** An org made through the same service the CLI uses. */
export function createOrg(app: NestExpressApplication, prefix = 'org'): Promise<Tenant> {
  return app.get(TenantsService).create({ slug: uniqueSlug(prefix), name: `Test ${prefix}` }, { type: 'system', id: 'cli' });
}

export async function createToken(
  app: NestExpressApplication,
  tenant: Tenant,
  scopes: Scope[] = ['findings:write'],
  expiresAt: Date | null = null,
): Promise<{ id: string; secret: string }> {
  const { token, secret } = await app
    .get(TokensService)
    .mint({ tenantId: tenant.id, name: 'test token', scopes, expiresAt, createdBy: null }, { type: 'system', id: 'cli' });
  return { id: token.id, secret };
}
