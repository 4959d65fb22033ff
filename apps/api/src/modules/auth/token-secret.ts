import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_CHARS = 40; // 238 bits
const SECRET = /^(ffp|fbk)_[0-9A-Za-z]{40}$/;
/** The kind (`ffp_`) and 8 random characters: stored in clear to find the token, and shown to tell tokens apart. */
const PREFIX_LENGTH = 12;

export interface TokenSecret {
  secret: string;
  prefix: string;
  hash: string;
}

/** A new secret of a kind (`ffp_`: API token; `fbk_`: badge key), with its prefix and hash. */
export function generateTokenSecret(kind: 'ffp_' | 'fbk_' = 'ffp_'): TokenSecret {
  let secret = kind;
  for (let i = 0; i < RANDOM_CHARS; i++) secret += BASE62[randomInt(BASE62.length)];
  return { secret, prefix: secret.slice(0, PREFIX_LENGTH), hash: hashTokenSecret(secret) };
}

/** The prefix to look a presented secret of a kind up by, or `undefined` when it cannot be one of ours. */
export function prefixOf(secret: string, kind: 'ffp_' | 'fbk_' = 'ffp_'): string | undefined {
  return secret.startsWith(kind) && SECRET.test(secret) ? secret.slice(0, PREFIX_LENGTH) : undefined;
}

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatchesHash(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashTokenSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
