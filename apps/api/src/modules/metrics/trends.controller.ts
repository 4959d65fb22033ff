import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { DoraComparison, DoraPerformers } from '@dora/domain';
import { ApiTags } from '@nestjs/swagger';
import { AccessGuard, CurrentOrg, RequiresScope } from '../../access/access.guard.js';
import type { Org } from '../../access/principals.js';
import { flatten, sendCsv } from '../../common/csv.js';
import type { Served } from '../../database/transactions.js';
import { ApiAnswer, ApiCsv, ApiErrors, ApiOrgRoute } from '../../openapi/decorators.js';
import { ComparisonQueryDto, PerformersQueryDto, SeriesQueryDto } from './dto/metrics-query.dto.js';
import { MetricsService } from './metrics.service.js';
import { TrendsService } from './trends.service.js';
import { answer } from './metrics.controller.js';

/** Trends and comparisons (DESIGN §4), and every trend as CSV: one row per point, period or month. */
@ApiTags('DORA metrics')
@Controller('api/v1/orgs/:slug/dora')
@UseGuards(AccessGuard)
export class TrendsController {
  constructor(
    private readonly trends: TrendsService,
    private readonly metrics: MetricsService,
  ) {}

  @Get('comparison')
  @RequiresScope('dora:read')
  @ApiOrgRoute('Month to date, last month, the month before and the last 180 days, each against its baseline', 'dora:read')
  @ApiAnswer(200, 'DoraComparison')
  @ApiErrors(400)
  comparison(@CurrentOrg() org: Org, @Query() query: ComparisonQueryDto, @Res({ passthrough: true }) response: Response): Promise<DoraComparison> {
    return answer(response, this.trends.comparison(org, query));
  }

  @Get('performers')
  @RequiresScope('dora:read')
  @ApiOrgRoute('For each month and metric, how many repos or teams were in each band', 'dora:read')
  @ApiAnswer(200, 'DoraPerformers')
  @ApiErrors(400)
  performers(@CurrentOrg() org: Org, @Query() query: PerformersQueryDto, @Res({ passthrough: true }) response: Response): Promise<DoraPerformers> {
    return answer(response, this.trends.performers(org, query));
  }

  @Get('series.csv')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The series as CSV: one row per point', 'dora:read')
  @ApiCsv()
  @ApiErrors(400)
  async seriesCsv(@CurrentOrg() org: Org, @Query() query: SeriesQueryDto, @Res() response: Response): Promise<void> {
    await csv(response, 'series.csv', this.metrics.series(org, query), (series) => series.points);
  }

  @Get('comparison.csv')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The comparison as CSV: one row per period, its baseline and the changes', 'dora:read')
  @ApiCsv()
  @ApiErrors(400)
  async comparisonCsv(@CurrentOrg() org: Org, @Query() query: ComparisonQueryDto, @Res() response: Response): Promise<void> {
    await csv(response, 'comparison.csv', this.trends.comparison(org, query), (comparison) => comparison.periods);
  }

  @Get('performers.csv')
  @RequiresScope('dora:read')
  @ApiOrgRoute('The performers as CSV: one row per month', 'dora:read')
  @ApiCsv()
  @ApiErrors(400)
  async performersCsv(@CurrentOrg() org: Org, @Query() query: PerformersQueryDto, @Res() response: Response): Promise<void> {
    await csv(response, 'performers.csv', this.trends.performers(org, query), (performers) => performers.months.map((month) => ({ ...month, basis: performers.basis })));
  }
}

/** An answer's items as CSV rows, with the moment of the data in `Data-As-Of` as for JSON. */
async function csv<T>(response: Response, filename: string, read: Promise<Served<T>>, items: (value: T) => object[]): Promise<void> {
  const served = await read;
  response.setHeader('Data-As-Of', served.dataAsOf.toISOString());
  await sendCsv(response, filename, items(served.value).map((item) => flatten(item as Record<string, unknown>)));
}
