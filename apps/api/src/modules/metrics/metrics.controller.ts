import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { DeploymentDetail, DeploymentItem, DoraSeries, DoraSummary, EnvironmentCount, Page, RepoMetrics, ServiceMetrics, TeamMetricsList } from '@dora/domain';
import { AccessGuard, CurrentOrg, RequiresScope } from '../../access/access.guard.js';
import type { Org } from '../../access/principals.js';
import { DeploymentsQueryDto, ReposQueryDto, SeriesQueryDto, ServicesQueryDto, SummaryQueryDto, TeamsQueryDto } from './dto/metrics-query.dto.js';
import type { Served } from '../../database/transactions.js';
import { MetricsService } from './metrics.service.js';
import { OrgExposition } from './org-exposition.service.js';
import { ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiCsv, ApiErrors, ApiOrgRoute, ApiPrometheusText } from '../../openapi/decorators.js';
import { flatten, sendCsv } from '../../common/csv.js';
import { toMetrics } from './definitions.js';

@ApiTags('DORA metrics')
@Controller('api/v1/orgs/:slug/dora')
@UseGuards(AccessGuard)
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly exposition: OrgExposition,
  ) {}

  @Get('summary')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The five metrics of a window, with samples, bands and the previous window', 'dora:read')
  @ApiAnswer(200, 'DoraSummary')
  @ApiErrors(400)
  summary(@CurrentOrg() org: Org, @Query() query: SummaryQueryDto, @Res({ passthrough: true }) response: Response): Promise<DoraSummary> {
    return answer(response, this.metrics.summary(org, query));
  }

  @Get('metrics')
  @RequiresScope('dora:read')
  @ApiOrgRoute(
    "The org's numbers for Prometheus: every environment's, and each (repo, service)'s with its team, over the org's window; computed at most once a minute",
    'dora:read',
  )
  @ApiPrometheusText()
  async prometheus(@CurrentOrg() org: Org, @Res() response: Response): Promise<void> {
    response.type('text/plain; version=0.0.4; charset=utf-8').send(await this.exposition.text(org));
  }

  @Get('series')
  @RequiresScope('dora:read')
  @ApiOrgRoute('Points of local days, weeks or months in the org time zone', 'dora:read')
  @ApiAnswer(200, 'DoraSeries')
  @ApiErrors(400)
  series(@CurrentOrg() org: Org, @Query() query: SeriesQueryDto, @Res({ passthrough: true }) response: Response): Promise<DoraSeries> {
    return answer(response, this.metrics.series(org, query));
  }

  @Get('repos')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The metrics per repository, sorted and paginated', 'dora:read')
  @ApiAnswer(200, 'RepoPage')
  @ApiErrors(400)
  repos(@CurrentOrg() org: Org, @Query() query: ReposQueryDto, @Res({ passthrough: true }) response: Response): Promise<Page<RepoMetrics>> {
    return answer(response, this.metrics.repos(org, query));
  }

  @Get('repos.csv')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The per-repository breakdown as CSV: every repo (no page limit), in the sort asked for', 'dora:read')
  @ApiCsv()
  @ApiErrors(400)
  async reposCsv(@CurrentOrg() org: Org, @Query() query: ReposQueryDto, @Res() response: Response): Promise<void> {
    const repos = await answer(response, this.metrics.reposForExport(org, query));
    await sendCsv(response, 'repos.csv', repos.items.map((item) => flatten({ ...item })), REPO_COLUMNS);
  }

  @Get('teams.csv')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The per-team breakdown as CSV: every team and the unassigned row (team empty)', 'dora:read')
  @ApiCsv()
  @ApiErrors(400)
  async teamsCsv(@CurrentOrg() org: Org, @Query() query: TeamsQueryDto, @Res() response: Response): Promise<void> {
    const teams = await answer(response, this.metrics.teamBreakdown(org, query));
    await sendCsv(response, 'teams.csv', teams.items.map((item) => flatten({ ...item })));
  }

  @Get('teams')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The metrics per team, each over exactly its deployments, with an unassigned row (team null)', 'dora:read')
  @ApiAnswer(200, 'TeamMetricsList')
  @ApiErrors(400)
  teams(@CurrentOrg() org: Org, @Query() query: TeamsQueryDto, @Res({ passthrough: true }) response: Response): Promise<TeamMetricsList> {
    return answer(response, this.metrics.teamBreakdown(org, query));
  }

  @Get('services')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The metrics per (repo, service), service null for whole-repo deployments, sorted and paginated', 'dora:read')
  @ApiAnswer(200, 'ServicePage')
  @ApiErrors(400)
  services(@CurrentOrg() org: Org, @Query() query: ServicesQueryDto, @Res({ passthrough: true }) response: Response): Promise<Page<ServiceMetrics>> {
    return answer(response, this.metrics.services(org, query));
  }

  @Get('deployments')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The deployments behind any number, newest first', 'dora:read')
  @ApiAnswer(200, 'DeploymentPage')
  @ApiErrors(400)
  deployments(@CurrentOrg() org: Org, @Query() query: DeploymentsQueryDto, @Res({ passthrough: true }) response: Response): Promise<Page<DeploymentItem>> {
    return answer(response, this.metrics.deployments(org, query));
  }

  @Get('deployments.csv')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The deployments the list’s filters select as CSV, newest first: all of them (no page limit), streamed', 'dora:read')
  @ApiCsv()
  @ApiErrors(400)
  async deploymentsCsv(@CurrentOrg() org: Org, @Query() query: DeploymentsQueryDto, @Res() response: Response): Promise<void> {
    const pages = this.metrics.deploymentPages(org, query);
    const first = await pages.next();
    if (!first.done) response.setHeader('Data-As-Of', first.value.dataAsOf.toISOString());
    async function* rows() {
      for (let page = first; !page.done; page = await pages.next()) for (const item of page.value.value) yield flatten({ ...item });
    }
    await sendCsv(response, 'deployments.csv', rows(), DEPLOYMENT_COLUMNS);
  }

  @Get('deployments/:id')
  @RequiresScope('dora:read')
  @ApiOrgRoute('One deployment with its audit events', 'dora:read')
  @ApiAnswer(200, 'DeploymentDetail')
  deployment(@CurrentOrg() org: Org, @Param('id') id: string, @Res({ passthrough: true }) response: Response): Promise<DeploymentDetail> {
    return answer(response, this.metrics.deployment(org, id));
  }

  @Get('environments')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The environments seen, with counts', 'dora:read')
  @ApiAnswer(200, 'EnvironmentList')
  environments(@CurrentOrg() org: Org, @Res({ passthrough: true }) response: Response): Promise<{ items: EnvironmentCount[] }> {
    return answer(response, this.metrics.environments(org));
  }
}

/** The columns of an export with no row: those its rows would have. */
const DEPLOYMENT_COLUMNS = [
  'id',
  'repo_full_name',
  'environment',
  'deployed_at',
  'commit_sha',
  'committed_at',
  'success',
  'is_rework',
  'external_ref',
  'service',
  'team',
  'source',
  'ingested_by.type',
  'ingested_by.id',
  'ingested_by.name',
  'created_at',
];
const REPO_COLUMNS = Object.keys(flatten({ repo_full_name: '', ...toMetrics(undefined, 1, new Date()) }));

/** The answer, and in `Data-As-Of` the moment of the primary's data it reflects (a replica may lag behind). */
export async function answer<T>(response: Response, read: Promise<Served<T>>): Promise<T> {
  const served = await read;
  response.setHeader('Data-As-Of', served.dataAsOf.toISOString());
  return served.value;
}
