import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { WebhookService } from './webhook.service.js';

/** Forgejo's system webhook (and Gitea's): signed by the shared secret, not by a token. */
@Controller('api/v1/webhooks/forgejo')
export class WebhookController {
  constructor(private readonly webhook: WebhookService) {}

  /** 202 once the delivery is stored (200 if this delivery id was stored before). */
  @Post()
  @HttpCode(202)
  async receive(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<{ id: string; status: string }> {
    const { id, status, duplicate } = await this.webhook.receive(request.headers, request.body as Buffer);
    if (duplicate) response.status(200);
    return { id, status };
  }
}
