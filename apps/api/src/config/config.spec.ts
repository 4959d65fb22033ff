import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({}, '/srv/dora')).toEqual({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      databaseMigrateUrl: undefined,
      databasePoolSize: 10,
      databaseTimeouts: { statementMs: 10_000, acquireMs: 5_000 },
      readReplica: undefined,
      dataDir: '/srv/dora/.data',
      ingestRateLimitPerMinute: 1200,
      publicUrl: undefined,
      sessionTtlMs: 12 * 3_600_000,
      tokenExchange: { jwksTimeoutMs: 5_000, jwksCooldownMs: 1_000, jwksAllowedHosts: [], rateLimitPerMinute: 60 },
      passwordHashing: { concurrency: 2, queue: 16 },
      signInFailures: { perAddress: 10, perAccount: 100 },
      publicOrgDirectory: false,
      logLevel: 'info',
      corsOrigins: [],
      trustProxy: false,
      metricsToken: undefined,
      shutdownTimeoutMs: 10_000,
      forgejo: {
        webhookSecret: undefined,
        url: undefined,
        token: undefined,
        apiTimeoutMs: 10_000,
        retryBaseMs: 5_000,
        retryMaxMs: 300_000,
        retryForMs: 24 * 3_600_000,
        pollIntervalMs: 2_000,
        mapOwnerToSlug: false,
      },
    });
  });

  it('treats an empty DATABASE_URL as unset: the embedded default', () => {
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: '  ' }).databaseUrl).toBeUndefined();
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgresql://dora@db:5432/dora',
        DATABASE_POOL_SIZE: '20',
        DATABASE_STATEMENT_TIMEOUT_MS: '30000',
        DATABASE_ACQUIRE_TIMEOUT_MS: '2000',
        DORA_DATA_DIR: '/var/lib/dora',
        INGEST_RATE_LIMIT_PER_MINUTE: '0',
        FORGEJO_WEBHOOK_SECRET: 's3cr3t',
        FORGEJO_URL: 'https://forge.example.com/',
        FORGEJO_TOKEN: 'pat',
        WEBHOOK_RETRY_FOR_HOURS: '2',
        PUBLIC_URL: 'https://dora.example.com',
        SESSION_TTL_HOURS: '8',
        LOG_LEVEL: 'warn',
        CORS_ORIGINS: 'https://a.example, http://b.example:8080',
        TRUST_PROXY: '1',
        METRICS_TOKEN: 'scrape',
        SHUTDOWN_TIMEOUT_MS: '5000',
        DATABASE_MIGRATE_URL: 'postgresql://owner:pw@db:5432/dora',
        DATABASE_READ_URL: 'postgresql://dora@replica:5432/dora',
        DATABASE_READ_POOL_SIZE: '4',
        DATABASE_READ_MAX_LAG_SECONDS: '5',
        JWKS_ALLOWED_HOSTS: '127.0.0.1, IdP.internal:8443,[::1]',
        TOKEN_EXCHANGE_RATE_LIMIT_PER_MINUTE: '30',
        PASSWORD_HASH_CONCURRENCY: '4',
        PASSWORD_HASH_QUEUE: '0',
        SIGN_IN_FAILURES_PER_ADDRESS: '5',
        SIGN_IN_FAILURES_PER_ACCOUNT: '50',
        PUBLIC_ORG_DIRECTORY: 'true',
        FORGEJO_MAP_OWNER_TO_SLUG: 'TRUE',
      },
      '/ignored',
    );
    expect(config.forgejo).toMatchObject({ webhookSecret: 's3cr3t', url: 'https://forge.example.com', token: 'pat', retryForMs: 7_200_000, mapOwnerToSlug: true });
    expect({ ...config, forgejo: undefined }).toEqual({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://dora@db:5432/dora',
      databaseMigrateUrl: 'postgresql://owner:pw@db:5432/dora',
      databasePoolSize: 20,
      databaseTimeouts: { statementMs: 30_000, acquireMs: 2_000 },
      readReplica: { url: 'postgresql://dora@replica:5432/dora', poolSize: 4, maxLagSeconds: 5 },
      dataDir: '/var/lib/dora',
      ingestRateLimitPerMinute: 0,
      publicUrl: 'https://dora.example.com',
      sessionTtlMs: 8 * 3_600_000,
      tokenExchange: { jwksTimeoutMs: 5_000, jwksCooldownMs: 1_000, jwksAllowedHosts: ['127.0.0.1', 'idp.internal:8443', '[::1]'], rateLimitPerMinute: 30 },
      passwordHashing: { concurrency: 4, queue: 0 },
      signInFailures: { perAddress: 5, perAccount: 50 },
      publicOrgDirectory: true,
      logLevel: 'warn',
      corsOrigins: ['https://a.example', 'http://b.example:8080'],
      trustProxy: 1,
      metricsToken: 'scrape',
      shutdownTimeoutMs: 5_000,
      forgejo: undefined,
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_URL', 'mysql://db/dora'],
    ['INGEST_RATE_LIMIT_PER_MINUTE', '1.5'],
    ['FORGEJO_URL', 'forge.example.com'],
    ['WEBHOOK_RETRY_FOR_HOURS', '0'],
    ['LOG_LEVEL', 'verbose'],
    ['CORS_ORIGINS', 'https://a.example/path'],
    ['TRUST_PROXY', 'yes please!'],
    ['JWKS_ALLOWED_HOSTS', 'https://idp.example'],
    ['PUBLIC_ORG_DIRECTORY', 'yes'],
    ['FORGEJO_MAP_OWNER_TO_SLUG', '1'],
    ['PASSWORD_HASH_CONCURRENCY', '0'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '50'],
    ['DATABASE_ACQUIRE_TIMEOUT_MS', 'soon'],
  ])('stops on %s=%s, naming the variable and what is allowed', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^${variable}=.* is not valid: .+`));
  });
});

describe('a read replica', () => {
  const primary = { DATABASE_URL: 'postgresql://dora@db/dora' };
  it.each([
    ['DATABASE_READ_URL', { ...primary, DATABASE_READ_URL: 'http://replica/dora' }],
    ['DATABASE_READ_POOL_SIZE', { ...primary, DATABASE_READ_URL: 'postgresql://dora@replica/dora', DATABASE_READ_POOL_SIZE: '0' }],
    ['DATABASE_READ_MAX_LAG_SECONDS', { ...primary, DATABASE_READ_URL: 'postgresql://dora@replica/dora', DATABASE_READ_MAX_LAG_SECONDS: '-1' }],
    ['DATABASE_READ_URL', { DATABASE_READ_URL: 'postgresql://dora@replica/dora' }],
  ])('stops on a bad %s', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}=.* is not valid: .+`));
  });

  it('has the documented defaults', () => {
    expect(loadConfig({ ...primary, DATABASE_READ_URL: 'postgresql://dora@replica/dora' }).readReplica).toEqual({ url: 'postgresql://dora@replica/dora', poolSize: 10, maxLagSeconds: 30 });
  });
});

describe('a malformed database URL', () => {
  it.each([
    ['DATABASE_URL', { DATABASE_URL: 'postgresql://dora:hunter2@db:five/dora' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://dora:hunter2@db/dora' }],
    ['DATABASE_MIGRATE_URL', { DATABASE_URL: 'postgresql://dora@db/dora', DATABASE_MIGRATE_URL: 'postgresql://owner:hunter2@db:port/dora' }],
  ])('is reported (%s) without its password', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}=".*:\\*\\*\\*@.*" is not valid`));
    expect(() => loadConfig(env)).not.toThrow(/hunter2/);
  });
});
