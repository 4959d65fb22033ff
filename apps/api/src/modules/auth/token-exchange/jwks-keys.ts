import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createLocalJWKSet, createRemoteJWKSet, customFetch, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { AppConfig } from '../../../config/config.js';
import { APP_CONFIG } from '../../../config/config.module.js';

/**
 * Where a key fetch never goes, unless the operator lists the host in JWKS_ALLOWED_HOSTS: loopback,
 * private, carrier-grade NAT, link-local, unique-local, multicast, unspecified and reserved addresses.
 * (BlockList matches IPv4-mapped IPv6 addresses against the IPv4 rules.)
 */
const INWARD = new BlockList();
for (const [network, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  INWARD.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fe80::', 10], ['fc00::', 7], ['ff00::', 8]] as const) {
  INWARD.addSubnet(network, prefix, 'ipv6');
}

export function isInwardAddress(address: string): boolean {
  const family = isIP(address);
  return family === 0 || INWARD.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The largest JWKS accepted: real ones are a few kilobytes. */
const MAX_JWKS_BYTES = 256 * 1024;
/** How long a failed fetch is remembered: requests meanwhile are answered at once, without fetching. */
export const FAILED_FETCH_MEMORY_MS = 30_000;

/** The keys could not be fetched, for whatever reason; the caller learns no more (no port-scanning oracle). */
export class KeysUnavailableError extends Error {
  constructor(
    readonly reason: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`keys unavailable: ${reason}`);
  }
}

/**
 * Why a JWKS URL may not be fetched, or `undefined` when it may: https only, to a host that is not an
 * inward address — unless the operator allowed the host, which may then also use plain http.
 */
export function jwksUriProblem(uri: string, allowedHosts: string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be a URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  if (isAllowedHost(url, allowedHosts)) return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'must be an https:// URL';
  if (url.protocol !== 'https:') return 'must be an https:// URL (plain http only for hosts the operator lists in JWKS_ALLOWED_HOSTS)';
  if (url.hostname === 'localhost' || url.hostname.endsWith('.localhost')) return 'must not point at this machine';
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) !== 0 && isInwardAddress(literal)) {
    return 'must not point at a loopback, private, link-local or otherwise internal address (the operator can allow a host with JWKS_ALLOWED_HOSTS)';
  }
  return undefined;
}

function isAllowedHost(url: URL, allowedHosts: string[]): boolean {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowedHosts.some((entry) => entry === url.hostname || entry === `${url.hostname}:${port}`);
}

/** Name resolution, a class of its own so that tests can make a name resolve where they like. */
@Injectable()
export class HostResolver {
  async lookup(hostname: string): Promise<{ address: string; family: number }[]> {
    return dnsLookup(hostname, { all: true, verbatim: true });
  }
}

/**
 * The keys of the trusted issuers. Remote sets are kept per URL (jose caches them and fetches again on
 * an unknown `kid`, at most once per cool-down); every fetch is checked again after name resolution and
 * connects to the address that was checked, follows no redirect, and is bounded in time and size.
 */
@Injectable()
export class JwksKeys {
  private readonly logger = new Logger('TokenExchange');
  private readonly remote = new Map<string, JWTVerifyGetKey>();
  private readonly failedUntil = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly resolver: HostResolver,
  ) {}

  /**
   * Why a JWKS URL may not be registered: the checks of every fetch, and a name that resolves inward now.
   * A name that does not resolve yet is accepted (it is checked again at every fetch).
   */
  async registrationProblem(uri: string): Promise<string | undefined> {
    const { jwksAllowedHosts } = this.config.tokenExchange;
    const problem = jwksUriProblem(uri, jwksAllowedHosts);
    if (problem) return problem;
    const url = new URL(uri);
    if (isAllowedHost(url, jwksAllowedHosts) || isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0) return undefined;
    const addresses = await this.resolver.lookup(url.hostname).catch(() => []);
    const inward = addresses.find((a) => isInwardAddress(a.address));
    return inward ? `must not point at an internal address (${url.hostname} resolves to ${inward.address}; the operator can allow a host with JWKS_ALLOWED_HOSTS)` : undefined;
  }

  of(provider: { jwks_uri: string | null; jwks: JSONWebKeySet | null }): JWTVerifyGetKey {
    if (provider.jwks) return createLocalJWKSet(provider.jwks);
    const uri = provider.jwks_uri!;
    let keys = this.remote.get(uri);
    if (!keys) {
      if (this.remote.size >= 10_000) this.remote.clear();
      keys = createRemoteJWKSet(new URL(uri), {
        timeoutDuration: this.config.tokenExchange.jwksTimeoutMs,
        cooldownDuration: this.config.tokenExchange.jwksCooldownMs,
        cacheMaxAge: 10 * 60_000,
        [customFetch]: (url: string, options: { headers: Headers; signal: AbortSignal }) => this.fetchKeys(url, options),
      });
      this.remote.set(uri, keys);
    }
    return keys;
  }

  private async fetchKeys(uri: string, options: { headers: Headers; signal: AbortSignal }): Promise<Response> {
    const until = this.failedUntil.get(uri) ?? 0;
    if (Date.now() < until) throw new KeysUnavailableError('failed moments ago', Math.ceil((until - Date.now()) / 1000));
    try {
      const jwks = await this.get(uri, options);
      this.failedUntil.delete(uri);
      return new Response(JSON.stringify(jwks), { status: 200, headers: { 'Content-Type': 'application/json' } });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`the keys at ${uri} could not be fetched: ${reason}`);
      if (this.failedUntil.size >= 10_000) this.failedUntil.clear();
      this.failedUntil.set(uri, Date.now() + FAILED_FETCH_MEMORY_MS);
      throw new KeysUnavailableError(reason, FAILED_FETCH_MEMORY_MS / 1000);
    }
  }

  private async get(uri: string, options: { headers: Headers; signal: AbortSignal }): Promise<JSONWebKeySet> {
    const { jwksAllowedHosts } = this.config.tokenExchange;
    const problem = jwksUriProblem(uri, jwksAllowedHosts);
    if (problem) throw new Error(`jwks_uri ${problem}`);
    const url = new URL(uri);
    const allowed = isAllowedHost(url, jwksAllowedHosts);
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    // A name is resolved here and the connection goes to the very address checked (no second lookup to rebind).
    const addresses = isIP(literal) !== 0 ? [{ address: literal, family: isIP(literal) }] : await this.resolver.lookup(literal);
    if (addresses.length === 0) throw new Error(`${url.hostname} does not resolve`);
    const inward = addresses.find((a) => isInwardAddress(a.address));
    if (inward && !allowed) throw new Error(`${url.hostname} resolves to the internal address ${inward.address}`);
    const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
      if ((lookupOptions as { all?: boolean }).all) (callback as (e: null, a: typeof addresses) => void)(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    };
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(url, { method: 'GET', headers: Object.fromEntries(options.headers), lookup, signal: options.signal }, resolve);
      request.on('error', reject);
      request.end();
    });
    if (response.statusCode !== 200) {
      response.resume();
      throw new Error(`answered ${response.statusCode}${response.headers.location ? ' (a redirect, not followed)' : ''}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_JWKS_BYTES) {
        response.destroy();
        throw new Error(`answered more than ${MAX_JWKS_BYTES} bytes`);
      }
      chunks.push(chunk);
    }
    let jwks: unknown;
    try {
      jwks = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new Error('answered something that is not JSON');
    }
    const keys = (jwks as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'object' && key !== null && !Array.isArray(key))) {
      throw new Error('answered JSON that is not a JWK set');
    }
    return jwks as JSONWebKeySet;
  }
}
