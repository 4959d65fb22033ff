import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ToNumber } from '../../../common/query-params.js';
import type { DeliveryStatus } from '../deliveries.repository.js';

const STATUSES: DeliveryStatus[] = ['pending', 'processed', 'skipped', 'failed'];

export class DeliveriesQueryDto {
  @IsIn(STATUSES, { message: `must be one of ${STATUSES.join(', ')}` })
  @IsOptional()
  status?: DeliveryStatus;

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
