import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import type { DeploymentDetail, DeploymentItem, DoraSeries, DoraSummary, EnvironmentCount, Page, RepoMetrics } from '@dora/domain';
import { AccessGuard, CurrentOrg, RequiresScope } from '../auth/access.guard.js';
import type { Org } from '../tenancy/tenants.repository.js';
import { DeploymentsQueryDto, ReposQueryDto, SeriesQueryDto, SummaryQueryDto } from './dto/metrics-query.dto.js';
import { MetricsService } from './metrics.service.js';

@Controller('api/v1/orgs/:slug/dora')
@UseGuards(AccessGuard)
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('summary')
  @RequiresScope('dora:read')
  summary(@CurrentOrg() org: Org, @Query() query: SummaryQueryDto): Promise<DoraSummary> {
    return this.metrics.summary(org, query);
  }

  @Get('series')
  @RequiresScope('dora:read')
  series(@CurrentOrg() org: Org, @Query() query: SeriesQueryDto): Promise<DoraSeries> {
    return this.metrics.series(org, query);
  }

  @Get('repos')
  @RequiresScope('dora:read')
  repos(@CurrentOrg() org: Org, @Query() query: ReposQueryDto): Promise<Page<RepoMetrics>> {
    return this.metrics.repos(org, query);
  }

  @Get('deployments')
  @RequiresScope('dora:read')
  deployments(@CurrentOrg() org: Org, @Query() query: DeploymentsQueryDto): Promise<Page<DeploymentItem>> {
    return this.metrics.deployments(org, query);
  }

  @Get('deployments/:id')
  @RequiresScope('dora:read')
  deployment(@CurrentOrg() org: Org, @Param('id') id: string): Promise<DeploymentDetail> {
    return this.metrics.deployment(org, id);
  }

  @Get('environments')
  @RequiresScope('dora:read')
  environments(@CurrentOrg() org: Org): Promise<{ items: EnvironmentCount[] }> {
    return this.metrics.environments(org);
  }
}
