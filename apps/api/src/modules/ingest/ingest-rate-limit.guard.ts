import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '../../common/errors.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { TokenBuckets } from '../../common/token-buckets.js';

/** The most lines one batch may have (DESIGN §5). */
export const MAX_BATCH_LINES = 10_000;

/**
 * Per-token limit on ingest, counted in deployments (a batch's lines); the default is far above what one
 * CI system sends. The burst holds one full batch, so that a batch can always pass.
 */
@Injectable()
export class IngestRateLimit {
  private readonly buckets: TokenBuckets | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const perMinute = config.ingestRateLimitPerMinute;
    this.buckets = perMinute > 0 ? new TokenBuckets({ capacity: Math.max(perMinute, MAX_BATCH_LINES), perMinute }) : undefined;
  }

  /** Takes `deployments` from the token's allowance, all or none; `rate_limited` says how long to wait. */
  take(tokenId: string, deployments = 1): void {
    const waitSeconds = this.buckets?.take(tokenId, deployments) ?? 0;
    if (waitSeconds > 0) {
      throw new DomainError('rate_limited', `Too many deployments from this token; retry in ${waitSeconds} s`, undefined, waitSeconds);
    }
  }
}

/** The limit for one deployment (runs after the AccessGuard). */
@Injectable()
export class IngestRateLimitGuard implements CanActivate {
  constructor(private readonly limit: IngestRateLimit) {}

  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<Request>().principal;
    if (principal?.kind === 'token') this.limit.take(principal.tokenId);
    return true;
  }
}
