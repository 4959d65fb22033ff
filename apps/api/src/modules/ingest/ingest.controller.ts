import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import type { IngestedDeployment } from '@dora/domain';
import type { Response } from 'express';
import { type RequestContext, RequestMeta } from '../../common/request-context.js';
import { AccessGuard, CurrentToken, RequiresScope } from '../../access/access.guard.js';
import type { TokenPrincipal } from '../../access/principals.js';
import { CreateDeploymentDto } from './dto/create-deployment.dto.js';
import { IngestRateLimitGuard } from './ingest-rate-limit.guard.js';
import { IngestService } from './ingest.service.js';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors } from '../../openapi/decorators.js';

@ApiTags('Ingest')
@Controller('api/v1/dora/deployments')
export class IngestController {
  constructor(private readonly ingestService: IngestService) {}

  /** 201 for a new deployment, 200 with `deduped: true` for a replay of its external_ref. */
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Report one deployment', description: 'Needs an API token with `findings:write`. Idempotent on (repo_full_name, environment, external_ref): a replay answers 200 with the existing row.' })
  @ApiBearerAuth('token')
  @ApiAnswer(201, 'IngestedDeployment', 'Stored')
  @ApiAnswer(200, 'IngestedDeployment', 'A replay: the existing row, deduped: true')
  @ApiErrors(400, 401, 403, 413, 415, 429)
  @RequiresScope('findings:write')
  @UseGuards(AccessGuard, IngestRateLimitGuard)
  async ingest(
    @Body() body: CreateDeploymentDto,
    @CurrentToken() token: TokenPrincipal,
    @RequestMeta() request: RequestContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IngestedDeployment> {
    const result = await this.ingestService.ingest(token, body, request);
    if (result.deduped) response.status(200);
    return result;
  }
}
