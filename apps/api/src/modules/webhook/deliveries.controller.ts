import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import type { DeliveryItem, Page } from '@dora/domain';
import { type RequestContext, RequestMeta } from '../../common/request-context.js';
import type { Actor } from '../../access/principals.js';
import { AccessGuard, CurrentActor, CurrentOrg, RequiresScope } from '../../access/access.guard.js';
import type { Org } from '../../access/principals.js';
import { DeliveriesQueryDto } from './dto/deliveries-query.dto.js';
import { WebhookService } from './webhook.service.js';
import { ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors, ApiOrgRoute } from '../../openapi/decorators.js';

/** An org's Forgejo deliveries, for its admins. */
@ApiTags('Forgejo webhook')
@Controller('api/v1/orgs/:slug/webhooks/deliveries')
@UseGuards(AccessGuard)
export class DeliveriesController {
  constructor(private readonly webhook: WebhookService) {}

  @Get()
  @RequiresScope('dora:admin')
  @ApiOrgRoute('The org’s Forgejo deliveries, newest first', 'dora:admin')
  @ApiAnswer(200, 'DeliveryPage')
  @ApiErrors(400)
  list(@CurrentOrg() org: Org, @Query() query: DeliveriesQueryDto): Promise<Page<DeliveryItem>> {
    return this.webhook.list(org.id, query);
  }

  /** Re-queues a failed delivery; it is tried again at once. */
  @Post(':id/retry')
  @HttpCode(202)
  @RequiresScope('dora:admin')
  @ApiOrgRoute('Re-queue a failed delivery (audited)', 'dora:admin')
  @ApiAnswer(202, 'DeliveryItem', 'Queued again')
  retry(
    @CurrentOrg() org: Org,
    @Param('id') id: string,
    @CurrentActor() actor: Actor,
    @RequestMeta() request: RequestContext,
  ): Promise<DeliveryItem> {
    return this.webhook.retry(org.id, id, actor, request);
  }
}
