import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '../../common/errors.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Telemetry } from './telemetry.js';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../openapi/decorators.js';

/** `GET /metrics` for Prometheus: not under any org; behind `METRICS_TOKEN` when one is set. */
@ApiTags('Operations')
@Controller('metrics')
export class PrometheusController {
  constructor(
    private readonly telemetry: Telemetry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics (text format); Authorization: Bearer <METRICS_TOKEN> when it is set' })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Prometheus text exposition format' })
  @ApiErrors(401)
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() response: Response): Promise<void> {
    const expected = this.config.metricsToken;
    if (expected) {
      const given = Buffer.from(/^Bearer +(\S+)$/i.exec(authorization ?? '')?.[1] ?? '');
      if (given.length !== Buffer.byteLength(expected) || !timingSafeEqual(given, Buffer.from(expected))) {
        throw new DomainError('unauthenticated', 'Send Authorization: Bearer <METRICS_TOKEN>');
      }
    }
    response.setHeader('Content-Type', this.telemetry.registry.contentType);
    response.send(await this.telemetry.registry.metrics());
  }
}
