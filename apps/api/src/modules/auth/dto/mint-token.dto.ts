import { type MintTokenRequest, type RotateTokenRequest, SCOPES } from '@dora/domain';
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

export class RotateTokenDto implements RotateTokenRequest {
  /** How long the old secret keeps working: 0 to 720 hours (30 days), default 24. */
  @Max(720)
  @Min(0)
  @IsInt({ message: 'must be a whole number of hours' })
  @IsOptional()
  grace_hours?: number;
}
