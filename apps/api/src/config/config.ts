import { resolve } from 'node:path';

/** Everything the service reads from its environment, validated once at start (DESIGN §8). */
export interface AppConfig {
  port: number;
  host: string;
  /** A PostgreSQL URL, or `undefined` for the embedded default: the runtime role, which owns nothing. */
  databaseUrl: string | undefined;
  /** The schema owner's URL, for migrations only; `undefined` when it is `databaseUrl` (a single-role install). */
  databaseMigrateUrl: string | undefined;
  /** Connections per process to a real PostgreSQL (the embedded default always uses one). */
  databasePoolSize: number;
  /** Bounds on waiting for the database: a statement's run, and getting a connection of the pool. */
  databaseTimeouts: DatabaseTimeouts;
  /** A streaming replica for the metrics reads; `undefined` reads on the primary. */
  readReplica: ReadReplicaConfig | undefined;
  /** The embedded database's directory, absolute. */
  dataDir: string;
  /** Ingest requests per minute and token; 0 turns the limit off. */
  ingestRateLimitPerMinute: number;
  /** Where users reach the service; an https URL makes session cookies Secure. */
  publicUrl: string | undefined;
  sessionTtlMs: number;
  tokenExchange: {
    jwksTimeoutMs: number;
    jwksCooldownMs: number;
    /** `host` or `host:port` entries whose keys may be fetched from inside the network (plain http allowed). */
    jwksAllowedHosts: string[];
    /** Exchanges per minute and client address. */
    rateLimitPerMinute: number;
  };
  /** Password hashes (scrypt, 128 MiB each) computed at once, and how many sign-ins may wait for one. */
  passwordHashing: { concurrency: number; queue: number };
  /** Failed sign-ins allowed per account from one address, and per account from all addresses together. */
  signInFailures: { perAddress: number; perAccount: number };
  /** The landing page lists every org (a single-tenant or internal install); off, it asks for the org's slug. */
  publicOrgDirectory: boolean;
  forgejo: ForgejoConfig;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** Origins allowed to call the API from a browser; none (no CORS) by default. */
  corsOrigins: string[];
  /** Express' `trust proxy` (hops or subnets) behind a reverse proxy: client addresses from X-Forwarded-For. */
  trustProxy: string | number | false;
  /** When set, GET /metrics needs `Authorization: Bearer <it>`. */
  metricsToken: string | undefined;
  /** How long a stop may take (in-flight requests and deliveries) before the process exits anyway. */
  shutdownTimeoutMs: number;
}

export interface DatabaseTimeouts {
  /** A statement (a lock wait included) is cancelled after this: the request answers 503. */
  statementMs: number;
  /** Waiting for a connection of the pool (or for a new one) ends after this: the request answers 503. */
  acquireMs: number;
}

export interface ReadReplicaConfig {
  url: string;
  poolSize: number;
  /** A replica further behind than this (or unreachable) is left alone: reads go to the primary. */
  maxLagSeconds: number;
}

export interface ForgejoConfig {
  /** Without it the webhook endpoint refuses every delivery (503). */
  webhookSecret: string | undefined;
  /** Base URL of the Forgejo instance, for resolving a release's commit; without it, releases are recorded without commit data. */
  url: string | undefined;
  token: string | undefined;
  apiTimeoutMs: number;
  /** First retry after this, doubling up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A delivery that could not be processed for this long is given up (failed, retryable by an admin). */
  retryForMs: number;
  /** How often each process looks for due deliveries (new ones are started at once). */
  pollIntervalMs: number;
  /** The old automatic rule, for a single-org install whose Forgejo is trusted: an owner login equal to an org slug maps to it. */
  mapOwnerToSlug: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly allowed: string,
    value: string,
  ) {
    super(`${variable}=${JSON.stringify(withoutPassword(value))} is not valid: ${allowed}`);
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: nonEmpty(env, 'HOST', '0.0.0.0'),
    databaseUrl: databaseUrl(env, 'DATABASE_URL'),
    databaseMigrateUrl: env.DATABASE_URL?.trim() ? databaseUrl(env, 'DATABASE_MIGRATE_URL') : undefined,
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 100),
    databaseTimeouts: {
      statementMs: integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 10_000, 100, 3_600_000),
      acquireMs: integer(env, 'DATABASE_ACQUIRE_TIMEOUT_MS', 5_000, 100, 600_000),
    },
    readReplica: readReplica(env),
    dataDir: resolve(cwd, nonEmpty(env, 'DORA_DATA_DIR', './.data')),
    ingestRateLimitPerMinute: integer(env, 'INGEST_RATE_LIMIT_PER_MINUTE', 1200, 0, 10_000_000),
    publicUrl: httpUrl(env, 'PUBLIC_URL'),
    sessionTtlMs: integer(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30) * 3_600_000,
    tokenExchange: {
      jwksTimeoutMs: integer(env, 'JWKS_TIMEOUT_MS', 5_000, 100, 60_000),
      // An unknown kid fetches the keys again (a rotation), but not more often than this.
      jwksCooldownMs: integer(env, 'JWKS_COOLDOWN_MS', 1_000, 0, 600_000),
      jwksAllowedHosts: hosts(env, 'JWKS_ALLOWED_HOSTS'),
      rateLimitPerMinute: integer(env, 'TOKEN_EXCHANGE_RATE_LIMIT_PER_MINUTE', 60, 1, 1_000_000),
    },
    passwordHashing: {
      concurrency: integer(env, 'PASSWORD_HASH_CONCURRENCY', 2, 1, 64),
      queue: integer(env, 'PASSWORD_HASH_QUEUE', 16, 0, 10_000),
    },
    signInFailures: {
      perAddress: integer(env, 'SIGN_IN_FAILURES_PER_ADDRESS', 10, 1, 10_000),
      perAccount: integer(env, 'SIGN_IN_FAILURES_PER_ACCOUNT', 100, 1, 1_000_000),
    },
    publicOrgDirectory: boolean(env, 'PUBLIC_ORG_DIRECTORY'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const, 'info'),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    trustProxy: trustProxy(env),
    metricsToken: env.METRICS_TOKEN?.trim() || undefined,
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    forgejo: {
      webhookSecret: env.FORGEJO_WEBHOOK_SECRET || undefined,
      url: httpUrl(env, 'FORGEJO_URL'),
      token: env.FORGEJO_TOKEN?.trim() || undefined,
      apiTimeoutMs: integer(env, 'FORGEJO_API_TIMEOUT_MS', 10_000, 100, 120_000),
      retryBaseMs: integer(env, 'WEBHOOK_RETRY_BASE_MS', 5_000, 10, 600_000),
      retryMaxMs: integer(env, 'WEBHOOK_RETRY_MAX_MS', 300_000, 10, 86_400_000),
      retryForMs: integer(env, 'WEBHOOK_RETRY_FOR_HOURS', 24, 1, 24 * 30) * 3_600_000,
      pollIntervalMs: integer(env, 'WEBHOOK_POLL_INTERVAL_MS', 2_000, 50, 600_000),
      mapOwnerToSlug: boolean(env, 'FORGEJO_MAP_OWNER_TO_SLUG'),
    },
  };
}

function readReplica(env: Env): ReadReplicaConfig | undefined {
  const url = databaseUrl(env, 'DATABASE_READ_URL');
  if (!url) return undefined;
  if (!env.DATABASE_URL?.trim()) throw new ConfigError('DATABASE_READ_URL', 'only with DATABASE_URL: the embedded database has no replica', url);
  return {
    url,
    poolSize: integer(env, 'DATABASE_READ_POOL_SIZE', 10, 1, 100),
    maxLagSeconds: integer(env, 'DATABASE_READ_MAX_LAG_SECONDS', 30, 0, 86_400),
  };
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = env[name]?.trim();
  if (!value) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(name, `one of ${allowed.join(', ')}`, value);
  return value as T;
}

function origins(env: Env, name: string): string[] {
  const list = (env[name] ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of list) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) throw new ConfigError(name, 'a comma-separated list of origins such as https://dashboards.example.com', origin);
  }
  return list;
}

function trustProxy(env: Env): string | number | false {
  const value = env.TRUST_PROXY?.trim();
  if (!value) return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^[\w.:/,\s-]+$/.test(value)) return value; // loopback, uniquelocal, subnets…
  throw new ConfigError('TRUST_PROXY', 'a number of proxy hops, or addresses/subnets such as loopback or 10.0.0.0/8', value);
}

function httpUrl(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) throw new ConfigError(name, 'an http:// or https:// URL', value);
  return value.replace(/\/+$/, '');
}

function databaseUrl(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (!/^postgres(ql)?:\/\//.test(value) || !URL.canParse(value)) {
    throw new ConfigError(name, `a postgres:// or postgresql:// URL${name === 'DATABASE_URL' ? ', or empty for the embedded database' : ''}`, value);
  }
  return value;
}

/** A URL's password never reaches a log line, even in a value too broken to parse as a URL. */
function withoutPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/]*@/i, '$1:***@');
}

function hosts(env: Env, name: string): string[] {
  const list = (env[name] ?? '').split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean);
  for (const entry of list) {
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/.test(entry)) throw new ConfigError(name, 'a comma-separated list of host or host:port entries, e.g. 127.0.0.1,idp.internal:8443', entry);
  }
  return list;
}

function boolean(env: Env, name: string): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  throw new ConfigError(name, 'true or false', value);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  }
  return value;
}

function nonEmpty(env: Env, name: string, fallback: string): string {
  return env[name]?.trim() || fallback;
}
