import { IsOptional, Matches } from 'class-validator';
import { PageQuery } from '../../../common/page-query.js';
import { IsTimestamp } from '../../../common/timestamps.js';

export class AuditQueryDto extends PageQuery {
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
}
