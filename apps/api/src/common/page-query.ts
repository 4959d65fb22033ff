import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ToNumber } from './query-params.js';
import { IsTimestamp } from './timestamps.js';

/** `limit` and `cursor` of every keyset-paginated list. */
export class PageQuery {
  @Max(200)
  @Min(1)
  @IsInt({ message: 'must be a whole number from 1 to 200' })
  @ToNumber()
  @IsOptional()
  limit: number = 50;

  /** The previous page's `next_cursor`, unchanged. */
  @MaxLength(1000)
  @IsString()
  @IsOptional()
  cursor?: string;
}

/** A page of a list filtered on a time range: `from` inclusive, `to` exclusive. */
export class TimeRangePageQuery extends PageQuery {
  @IsTimestamp()
  @IsOptional()
  from?: string;

  @IsTimestamp()
  @IsOptional()
  to?: string;
}
