import type { MintBadgeKeyRequest } from '@dora/domain';
import { IsString, Matches } from 'class-validator';

export class MintBadgeKeyDto implements MintBadgeKeyRequest {
  /** What the key is for, e.g. the repository whose README shows its badges. */
  @Matches(/^\P{Cc}{1,100}$/u, { message: 'must be 1-100 characters without control characters' })
  @IsString()
  name!: string;
}
