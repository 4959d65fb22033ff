import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ToNumber } from '../../../common/query-params.js';
import { IsTimestamp } from '../../../common/timestamps.js';

export class AuditQueryDto {
  /** e.g. api.dora.deployments.ingested */
  @Matches(/^[a-z0-9_.]{1,100}$/, { message: 'must be an action name such as api.dora.deployments.ingested' })
  @IsOptional()
  action?: string;

  /** Inclusive, on occurred_at. */
  @IsTimestamp()
  @IsOptional()
  from?: string;

  /** Exclusive, on occurred_at. */
  @IsTimestamp()
  @IsOptional()
  to?: string;

  @Max(200)
  @Min(1)
  @IsInt({ message: 'must be a whole number from 1 to 200' })
  @ToNumber()
  @IsOptional()
  limit: number = 50;

  @MaxLength(1000)
  @IsString()
  @IsOptional()
  cursor?: string;
}
