import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '../../common/errors.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { TokenBuckets } from '../../common/token-buckets.js';

/** Per-token limit on ingest (runs after TokenAuthGuard); the default is far above what one CI system sends. */
@Injectable()
export class IngestRateLimitGuard implements CanActivate {
  private readonly buckets: TokenBuckets | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const perMinute = config.ingestRateLimitPerMinute;
    this.buckets = perMinute > 0 ? new TokenBuckets({ capacity: perMinute, perMinute }) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<Request>().principal;
    const tokenId = principal?.kind === 'token' ? principal.tokenId : undefined;
    if (!this.buckets || !tokenId) return true;
    const waitSeconds = this.buckets.take(tokenId);
    if (waitSeconds > 0) {
      throw new DomainError('rate_limited', `Too many deployments from this token; retry in ${waitSeconds} s`, undefined, waitSeconds);
    }
    return true;
  }
}
