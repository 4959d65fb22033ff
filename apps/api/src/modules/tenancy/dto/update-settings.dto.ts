import { WINDOW_DAYS } from '@dora/domain';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class UpdateSettingsDto {
  @IsIn(WINDOW_DAYS, { message: `must be one of ${WINDOW_DAYS.join(', ')}` })
  @IsOptional()
  window_days?: number;

  /** An IANA time zone name, e.g. Europe/Berlin. */
  @MaxLength(64)
  @IsString()
  @IsOptional()
  timezone?: string;
}
