import { IsOptional, Matches } from 'class-validator';
import { TimeRangePageQuery } from '../../../common/page-query.js';

/** The audit log on `occurred_at`. */
export class AuditQueryDto extends TimeRangePageQuery {
  /** e.g. api.dora.deployments.ingested */
  @Matches(/^[a-z0-9_.]{1,100}$/, { message: 'must be an action name such as api.dora.deployments.ingested' })
  @IsOptional()
  action?: string;
}
