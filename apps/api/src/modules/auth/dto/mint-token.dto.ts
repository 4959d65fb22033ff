import { type MintTokenRequest, SCOPES } from '@dora/domain';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class MintTokenDto implements MintTokenRequest {
  @MaxLength(100)
  @MinLength(1)
  @IsString()
  name!: string;

  @IsIn(SCOPES, { each: true, message: `each scope must be one of ${SCOPES.join(', ')}` })
  @ArrayUnique()
  @ArrayMaxSize(SCOPES.length)
  @ArrayMinSize(1)
  @IsArray()
  scopes!: string[];

  @Max(3650)
  @Min(1)
  @IsInt({ message: 'must be a whole number of days' })
  @IsOptional()
  expires_in_days?: number | null;
}
