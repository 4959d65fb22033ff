import { resolve } from 'node:path';

/** Everything the service reads from its environment, validated once at start (DESIGN §8). */
export interface AppConfig {
  port: number;
  host: string;
  /** A PostgreSQL URL, or `undefined` for the embedded default. */
  databaseUrl: string | undefined;
  /** Connections per process to a real PostgreSQL (the embedded default always uses one). */
  databasePoolSize: number;
  /** The embedded database's directory, absolute. */
  dataDir: string;
  /** Ingest requests per minute and token; 0 turns the limit off. */
  ingestRateLimitPerMinute: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly allowed: string,
    value: string,
  ) {
    super(`${variable}=${JSON.stringify(value)} is not valid: ${allowed}`);
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: nonEmpty(env, 'HOST', '0.0.0.0'),
    databaseUrl: databaseUrl(env),
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 100),
    dataDir: resolve(cwd, nonEmpty(env, 'DORA_DATA_DIR', './.data')),
    ingestRateLimitPerMinute: integer(env, 'INGEST_RATE_LIMIT_PER_MINUTE', 1200, 0, 10_000_000),
  };
}

function databaseUrl(env: Env): string | undefined {
  const value = env.DATABASE_URL?.trim();
  if (!value) return undefined;
  if (!/^postgres(ql)?:\/\//.test(value)) {
    throw new ConfigError('DATABASE_URL', 'a postgres:// or postgresql:// URL, or empty for the embedded database', value);
  }
  return value;
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
