import type { LoginRequest } from '@dora/domain';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto implements LoginRequest {
  @MaxLength(254)
  @MinLength(3)
  @IsString()
  email!: string;

  @MaxLength(1024)
  @MinLength(1)
  @IsString()
  password!: string;
}
