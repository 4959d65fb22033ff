import { Body, Controller, Get, HttpCode, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { BatchIngestResult, IngestedDeployment, LastDeployment } from '@dora/domain';
import type { Request, Response } from 'express';
import { type RequestContext, RequestMeta } from '../../common/request-context.js';
import { AccessGuard, CurrentToken, RequiresScope } from '../../access/access.guard.js';
import type { TokenPrincipal } from '../../access/principals.js';
import { CreateDeploymentDto } from './dto/create-deployment.dto.js';
import { LastDeploymentQueryDto } from './dto/last-deployment-query.dto.js';
import { IngestRateLimitGuard } from './ingest-rate-limit.guard.js';
import { IngestService } from './ingest.service.js';
import { BatchIngestService } from './batch-ingest.service.js';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors } from '../../openapi/decorators.js';

@ApiTags('Ingest')
@Controller('api/v1/dora/deployments')
export class IngestController {
  constructor(
    private readonly ingestService: IngestService,
    private readonly batchIngest: BatchIngestService,
  ) {}

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

  /** Where a CI reporter's change set starts: no more than the commit and time, for the token's own org. */
  @Get('last')
  @ApiOperation({
    summary: 'The last successful deployment of a repo, environment and service',
    description: 'Needs an API token with `findings:write`; answers for the token’s org only its commit and time. 404 when there is none.',
  })
  @ApiBearerAuth('token')
  @ApiAnswer(200, 'LastDeployment')
  @ApiErrors(400, 401, 403, 404)
  @RequiresScope('findings:write')
  @UseGuards(AccessGuard)
  last(@Query() query: LastDeploymentQueryDto, @CurrentToken() token: TokenPrincipal): Promise<LastDeployment> {
    return this.ingestService.lastDeployment(token, query);
  }

  /** 200 with each line's outcome: a bad line is refused on its own, never blocking the others. */
  @Post('batch')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Report deployments in bulk (history): one per line',
    description:
      'Needs an API token with `findings:write`. `application/x-ndjson`, at most 10,000 lines or 10 MiB: each line a deployment of the single ingest, with its rules and idempotency, stored or refused on its own. The rate limit counts lines and admits a batch whole or not at all.',
  })
  @ApiConsumes('application/x-ndjson')
  @ApiBody({ schema: { type: 'string', example: '{"repo_full_name":"acme/web","environment":"production","deployed_at":"2026-05-14T10:00:00Z","external_ref":"deploy-1"}\n' } })
  @ApiBearerAuth('token')
  @ApiAnswer(200, 'BatchIngestResult', "Each non-blank line's outcome")
  @ApiErrors(400, 401, 403, 413, 415, 429)
  @RequiresScope('findings:write')
  @UseGuards(AccessGuard)
  ingestBatch(@Req() http: Request, @CurrentToken() token: TokenPrincipal, @RequestMeta() request: RequestContext): Promise<BatchIngestResult> {
    return this.batchIngest.ingest(token, http.body as Buffer, request);
  }
}
