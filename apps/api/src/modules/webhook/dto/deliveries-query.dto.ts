import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../../common/page-query.js';
import type { DeliveryStatus } from '@dora/domain';

const STATUSES: DeliveryStatus[] = ['pending', 'processed', 'skipped', 'failed'];

export class DeliveriesQueryDto extends PageQuery {
  @IsIn(STATUSES, { message: `must be one of ${STATUSES.join(', ')}` })
  @IsOptional()
  status?: DeliveryStatus;
}
