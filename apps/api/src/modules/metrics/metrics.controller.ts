import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import type { DeploymentDetail, DeploymentItem, DoraSeries, DoraSummary, EnvironmentCount, Page, RepoMetrics } from '@dora/domain';
import { AccessGuard, CurrentOrg, RequiresScope } from '../../access/access.guard.js';
import type { Org } from '../../access/principals.js';
import { DeploymentsQueryDto, ReposQueryDto, SeriesQueryDto, SummaryQueryDto } from './dto/metrics-query.dto.js';
import { MetricsService } from './metrics.service.js';
import { ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors, ApiOrgRoute } from '../../openapi/decorators.js';

@ApiTags('DORA metrics')
@Controller('api/v1/orgs/:slug/dora')
@UseGuards(AccessGuard)
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('summary')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The five metrics of a window, with samples, bands and the previous window', 'dora:read')
  @ApiAnswer(200, 'DoraSummary')
  @ApiErrors(400)
  summary(@CurrentOrg() org: Org, @Query() query: SummaryQueryDto): Promise<DoraSummary> {
    return this.metrics.summary(org, query);
  }

  @Get('series')
  @RequiresScope('dora:read')
  @ApiOrgRoute('Daily points cut at midnight in the org time zone', 'dora:read')
  @ApiAnswer(200, 'DoraSeries')
  @ApiErrors(400)
  series(@CurrentOrg() org: Org, @Query() query: SeriesQueryDto): Promise<DoraSeries> {
    return this.metrics.series(org, query);
  }

  @Get('repos')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The metrics per repository, sorted and paginated', 'dora:read')
  @ApiAnswer(200, 'RepoPage')
  @ApiErrors(400)
  repos(@CurrentOrg() org: Org, @Query() query: ReposQueryDto): Promise<Page<RepoMetrics>> {
    return this.metrics.repos(org, query);
  }

  @Get('deployments')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The deployments behind any number, newest first', 'dora:read')
  @ApiAnswer(200, 'DeploymentPage')
  @ApiErrors(400)
  deployments(@CurrentOrg() org: Org, @Query() query: DeploymentsQueryDto): Promise<Page<DeploymentItem>> {
    return this.metrics.deployments(org, query);
  }

  @Get('deployments/:id')
  @RequiresScope('dora:read')
  @ApiOrgRoute('One deployment with its audit events', 'dora:read')
  @ApiAnswer(200, 'DeploymentDetail')
  deployment(@CurrentOrg() org: Org, @Param('id') id: string): Promise<DeploymentDetail> {
    return this.metrics.deployment(org, id);
  }

  @Get('environments')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The environments seen, with counts', 'dora:read')
  @ApiAnswer(200, 'EnvironmentList')
  environments(@CurrentOrg() org: Org): Promise<{ items: EnvironmentCount[] }> {
    return this.metrics.environments(org);
  }
}
