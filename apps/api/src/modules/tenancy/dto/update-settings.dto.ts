import { LEAD_TIME_BASES, type LeadTimeBasis, WINDOW_DAYS } from '@dora/domain';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class UpdateSettingsDto {
  @IsIn(WINDOW_DAYS, { message: `must be one of ${WINDOW_DAYS.join(', ')}` })
  @IsOptional()
  window_days?: number;

  /** An IANA time zone name, e.g. Europe/Berlin. */
  @MaxLength(64)
  @IsString()
  @IsOptional()
  timezone?: string;

  /** Which lead time the dashboard's card shows as its headline: per deployment (the default) or per change. */
  @IsIn(LEAD_TIME_BASES, { message: `must be one of ${LEAD_TIME_BASES.join(', ')}` })
  @IsOptional()
  lead_time_basis?: LeadTimeBasis;

  /** Days an API token may live at most; `null` lifts the limit. */
  @Max(3650)
  @Min(1)
  @IsInt({ message: 'must be a whole number of days, or null for no limit' })
  @IsOptional()
  max_token_lifetime_days?: number | null;
}
