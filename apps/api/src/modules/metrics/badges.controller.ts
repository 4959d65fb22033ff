import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Credentials, OrgLookup } from '../../access/access-ports.js';
import type { Org } from '../../access/principals.js';
import { DomainError } from '../../common/errors.js';
import { ApiErrors } from '../../openapi/decorators.js';
import { badgeSvg, badgeText } from './badge.js';
import { BadgeQueryDto } from './dto/badge-query.dto.js';
import type { SummaryQueryDto } from './dto/metrics-query.dto.js';
import { MetricsService } from './metrics.service.js';

/** How long a badge is kept, here and in caches on the way (a README's image proxy). */
const KEEP_SECONDS = 60;
/** Badges kept per process at most; the oldest goes first. */
const KEPT_BADGES = 10_000;

/**
 * `GET /api/v1/orgs/{slug}/dora/badge.svg` (DESIGN §7, "Badge keys"): one metric as a shields-style
 * badge for a README, with a badge key of the org in the URL (its readers have no session). An unknown
 * org answers as a wrong key does. The key is checked on every request (a revoked one stops at once);
 * the picture is kept a minute.
 */
@ApiTags('Badges')
@Controller('api/v1/orgs/:slug/dora')
export class BadgesController {
  private readonly kept = new Map<string, { until: number; svg: Promise<string> }>();

  constructor(
    private readonly metrics: MetricsService,
    private readonly orgs: OrgLookup,
    private readonly credentials: Credentials,
  ) {}

  @Get('badge.svg')
  @ApiOperation({ summary: 'A metric as an SVG badge for a README, with a badge key of the org (key=); kept a minute' })
  @ApiParam({ name: 'slug', description: 'The org', schema: { type: 'string' } })
  @ApiResponse({ status: 200, description: 'The badge: label, value and band (in words and colour)', content: { 'image/svg+xml': { schema: { type: 'string' } } } })
  @ApiErrors(400, 401)
  async badge(@Param('slug') slug: string, @Query() query: BadgeQueryDto, @Res() response: Response): Promise<void> {
    const org = await this.orgs.findPublicOrg(slug);
    if (!org || !(await this.credentials.verifyBadgeKey(org.id, query.key))) {
      throw new DomainError('unauthenticated', 'Not a live badge key of this org: an admin of the org mints one (POST /api/v1/orgs/{slug}/badge-keys)');
    }
    response
      .type('image/svg+xml')
      .setHeader('Cache-Control', `public, max-age=${KEEP_SECONDS}`)
      .send(await this.svgOf(org, query));
  }

  private svgOf(org: Org, query: BadgeQueryDto): Promise<string> {
    const id = JSON.stringify([org.id, org.config_version, query.metric, query.repo ?? null, query.environment, query.service ?? null]);
    const now = Date.now();
    const kept = this.kept.get(id);
    if (kept && kept.until > now) return kept.svg;
    const svg = this.render(org, query);
    this.kept.delete(id);
    this.kept.set(id, { until: now + KEEP_SECONDS * 1000, svg });
    if (this.kept.size > KEPT_BADGES) this.kept.delete(this.kept.keys().next().value!);
    svg.catch(() => this.kept.get(id)?.svg === svg && this.kept.delete(id));
    return svg;
  }

  private async render(org: Org, query: BadgeQueryDto): Promise<string> {
    const summary = await this.metrics.summary(org, { environment: query.environment, repo: query.repo, service: query.service } as SummaryQueryDto);
    const subject = [query.repo ?? org.slug, query.service, query.environment].filter(Boolean).join(' ');
    return badgeSvg(badgeText(query.metric, summary.value, org.lead_time_basis), subject);
  }
}
