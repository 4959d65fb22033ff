import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { AppConfig } from '../../../config/config.js';
import { APP_CONFIG } from '../../../config/config.module.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A JWKS URL we fetch: HTTPS, or plain HTTP to this machine only. Answers why not, or `undefined`. */
export function jwksUriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be a URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return undefined;
  return 'must be an https:// URL (plain http only for 127.0.0.1, localhost or [::1])';
}

/**
 * The keys of the trusted issuers. Remote sets are kept per URL (jose caches them and fetches again
 * on an unknown `kid`, at most once per cool-down), with a timeout.
 */
@Injectable()
export class JwksKeys {
  private readonly remote = new Map<string, JWTVerifyGetKey>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  of(provider: { jwks_uri: string | null; jwks: JSONWebKeySet | null }): JWTVerifyGetKey {
    if (provider.jwks) return createLocalJWKSet(provider.jwks);
    const uri = provider.jwks_uri!;
    const problem = jwksUriProblem(uri);
    if (problem) throw new Error(`jwks_uri ${problem}`);
    let keys = this.remote.get(uri);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(uri), {
        timeoutDuration: this.config.tokenExchange.jwksTimeoutMs,
        cooldownDuration: this.config.tokenExchange.jwksCooldownMs,
        cacheMaxAge: 10 * 60_000,
      });
      this.remote.set(uri, keys);
    }
    return keys;
  }
}
