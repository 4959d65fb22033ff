import { applyDecorators } from '@nestjs/common';
import { LEAD_TIME_BASES, type LeadTimeBasis, REPO_SORT_KEYS, SERIES_INTERVALS, type SeriesInterval, TEAM_SLUG_PATTERN, TEAM_SORT_KEYS, WINDOW_DAYS } from '@dora/domain';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PageQuery, TimeRangePageQuery } from '../../../common/page-query.js';
import { ToBoolean, ToNumber } from '../../../common/query-params.js';
import { IsEnvironment, IsRepoFullName, IsService } from '../../../common/deployment-fields.js';
import { IsTimestamp } from '../../../common/timestamps.js';

/** A team's slug, or `unassigned` for the deployments of no team. */
function IsTeamFilter() {
  return applyDecorators(IsString(), Matches(TEAM_SLUG_PATTERN, { message: 'must be a team’s slug or "unassigned"' }));
}

/** Narrows a question to a team or a service; combinable with each other and with repo and environment. */
class TeamAndServiceQuery {
  @IsTeamFilter()
  @IsOptional()
  team?: string;

  @IsService()
  @IsOptional()
  service?: string;
}

/** What every metric question is about: one environment (default production), optionally one repo, team, service. */
export class ScopeQuery extends TeamAndServiceQuery {
  @IsEnvironment()
  @IsOptional()
  environment: string = 'production';

  @IsRepoFullName()
  @IsOptional()
  repo?: string;

  /** The moment the answer is computed at (default now): the same as_of always gives the same answer. */
  @IsTimestamp()
  @IsOptional()
  as_of?: string;
}

export class SummaryQueryDto extends ScopeQuery {
  /** Days; default the org's setting. */
  @IsIn(WINDOW_DAYS, { message: `must be one of ${WINDOW_DAYS.join(', ')}` })
  @ToNumber()
  @IsOptional()
  window?: number;
}

export class SeriesQueryDto extends ScopeQuery {
  /** Local days (default), weeks from Monday or months from the 1st, in the org's time zone. */
  @IsIn(SERIES_INTERVALS, { message: `must be one of ${SERIES_INTERVALS.join(', ')}` })
  @IsOptional()
  interval: SeriesInterval = 'day';

  /** Days, for interval=day: 1 to 90, default 30. */
  @Max(90)
  @Min(1)
  @IsInt({ message: 'must be a whole number of days from 1 to 90' })
  @ToNumber()
  @IsOptional()
  days?: number;

  /** Weeks (1 to 52) or months (1 to 24), for interval=week or month; default 12. */
  @Max(52)
  @Min(1)
  @IsInt({ message: 'must be a whole number: 1 to 52 weeks, or 1 to 24 months' })
  @ToNumber()
  @IsOptional()
  periods?: number;
}

/** The comparison: the scope alone. */
export class ComparisonQueryDto extends ScopeQuery {}

export class PerformersQueryDto extends ScopeQuery {
  /** Local months, ending with the one that holds as_of. */
  @Max(24)
  @Min(1)
  @IsInt({ message: 'must be a whole number of months from 1 to 24' })
  @ToNumber()
  @IsOptional()
  months: number = 6;

  @IsIn(['repo', 'team'], { message: 'must be repo or team' })
  @IsOptional()
  by: 'repo' | 'team' = 'repo';

  /** Which lead time is banded; default the org's lead_time_basis. */
  @IsIn(LEAD_TIME_BASES, { message: `must be one of ${LEAD_TIME_BASES.join(', ')}` })
  @IsOptional()
  basis?: LeadTimeBasis;
}

const SORTS = REPO_SORT_KEYS.flatMap((key) => [key, `-${key}`]);

export class ReposQueryDto extends PageQuery {
  @IsIn(WINDOW_DAYS, { message: `must be one of ${WINDOW_DAYS.join(', ')}` })
  @ToNumber()
  @IsOptional()
  window?: number;

  @IsEnvironment()
  @IsOptional()
  environment: string = 'production';

  @IsTeamFilter()
  @IsOptional()
  team?: string;

  @IsService()
  @IsOptional()
  service?: string;

  @IsTimestamp()
  @IsOptional()
  as_of?: string;

  /** A metric (or repo_full_name, deployments); a leading "-" sorts descending. */
  @IsIn(SORTS, { message: `must be one of ${REPO_SORT_KEYS.join(', ')}, optionally with a leading "-"` })
  @IsOptional()
  sort: string = 'repo_full_name';
}

/** The per-(repo, service) breakdown: every filter of the per-repo one, and a repo. */
export class ServicesQueryDto extends ReposQueryDto {
  @IsRepoFullName()
  @IsOptional()
  repo?: string;
}

const TEAM_SORTS = TEAM_SORT_KEYS.flatMap((key) => [key, `-${key}`]);

/** The per-team breakdown: every team and unassigned, on one page. */
export class TeamsQueryDto {
  @IsIn(WINDOW_DAYS, { message: `must be one of ${WINDOW_DAYS.join(', ')}` })
  @ToNumber()
  @IsOptional()
  window?: number;

  @IsEnvironment()
  @IsOptional()
  environment: string = 'production';

  @IsTimestamp()
  @IsOptional()
  as_of?: string;

  /** A metric (or team, deployments); a leading "-" sorts descending. */
  @IsIn(TEAM_SORTS, { message: `must be one of ${TEAM_SORT_KEYS.join(', ')}, optionally with a leading "-"` })
  @IsOptional()
  sort: string = 'team';
}

/** The deployments on `deployed_at`. */
export class DeploymentsQueryDto extends TimeRangePageQuery {
  @IsRepoFullName()
  @IsOptional()
  repo?: string;

  @IsTeamFilter()
  @IsOptional()
  team?: string;

  @IsService()
  @IsOptional()
  service?: string;

  @IsEnvironment()
  @IsOptional()
  environment: string = 'production';

  @IsBoolean({ message: 'must be true or false' })
  @ToBoolean()
  @IsOptional()
  success?: boolean;

  @IsBoolean({ message: 'must be true or false' })
  @ToBoolean()
  @IsOptional()
  is_rework?: boolean;
}
