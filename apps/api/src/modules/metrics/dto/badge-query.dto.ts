import { BADGE_METRICS, type BadgeMetric } from '@dora/domain';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsEnvironment, IsRepoFullName, IsService } from '../../../common/deployment-fields.js';

/** `GET /api/v1/orgs/{slug}/dora/badge.svg`: one metric of a scope, over the org's window, with a badge key. */
export class BadgeQueryDto {
  @IsIn(BADGE_METRICS, { message: `must be one of ${BADGE_METRICS.join(', ')}` })
  metric!: BadgeMetric;

  @IsRepoFullName()
  @IsOptional()
  repo?: string;

  @IsEnvironment()
  @IsOptional()
  environment: string = 'production';

  @IsService()
  @IsOptional()
  service?: string;

  /** A badge key of the org (never logged). */
  @MaxLength(100)
  @IsString()
  key!: string;
}
