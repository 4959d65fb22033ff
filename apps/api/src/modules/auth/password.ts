import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors.js';
import { QueueFullError, WorkQueue } from '../../common/work-queue.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

/** OWASP's scrypt minimum: N = 2^17, r = 8, p = 1 (128 MiB, a few hundred ms). */
const N = 2 ** 17;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

/**
 * Password hashing for a process: each scrypt takes 128 MiB and a few hundred ms of a core, so only a
 * few run at once (PASSWORD_HASH_CONCURRENCY), a bounded number wait (PASSWORD_HASH_QUEUE), and more
 * are refused with 503 — a flood of sign-ins cannot exhaust memory.
 */
@Injectable()
export class PasswordHasher {
  private readonly queue: WorkQueue;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.queue = new WorkQueue(config.passwordHashing);
  }

  hash(password: string): Promise<string> {
    return this.run(() => hashPassword(password));
  }

  verify(password: string, stored: string): Promise<boolean> {
    return this.run(() => verifyPassword(password, stored));
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.queue.run(work);
    } catch (error) {
      if (error instanceof QueueFullError) throw new DomainError('overloaded', 'Too many sign-ins are being checked right now; retry in a moment', undefined, 1);
      throw error;
    }
  }
}

/** `scrypt$N$r$p$salt$key`, so the parameters can be raised later without breaking stored hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: 256 * N * R });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * Number(n) * Number(r),
  });
  return timingSafeEqual(actual, expected);
}

/** A password for a new user when the operator gives none: 20 characters, about 119 bits. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
