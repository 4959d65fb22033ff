import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { DeliveryReceipt } from '@dora/domain';
import type { Request, Response } from 'express';
import { WebhookService } from './webhook.service.js';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors } from '../../openapi/decorators.js';

/** Forgejo's system webhook (and Gitea's): signed by the shared secret, not by a token. */
@ApiTags('Forgejo webhook')
@Controller('api/v1/webhooks/forgejo')
export class WebhookController {
  constructor(private readonly webhook: WebhookService) {}

  /** 202 once the delivery is stored (200 if this delivery id was stored before). */
  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'A Forgejo (or Gitea) system-webhook delivery: stored, then processed', description: 'The raw body is signed with FORGEJO_WEBHOOK_SECRET (X-Forgejo-Signature, X-Gitea-Signature or X-Hub-Signature-256). Releases and pushed v* tags become production deployments; other events are recorded as skipped.' })
  @ApiSecurity('forgejo-signature')
  @ApiAnswer(202, 'DeliveryReceipt', 'Stored')
  @ApiAnswer(200, 'DeliveryReceipt', 'This delivery id was stored before')
  @ApiErrors(400, 401, 413)
  @ApiResponse({ status: 503, description: 'FORGEJO_WEBHOOK_SECRET is not set', schema: { $ref: '#/components/schemas/ApiErrorBody' } })
  async receive(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<DeliveryReceipt> {
    const { id, status, duplicate } = await this.webhook.receive(request.headers, request.body as Buffer);
    if (duplicate) response.status(200);
    return { id, status };
  }
}
