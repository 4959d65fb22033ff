import { type CreateIdentityProviderRequest, SCOPES } from '@dora/domain';
import { ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class CreateIdentityProviderDto implements CreateIdentityProviderRequest {
  /** Exactly the `iss` of its tokens, e.g. https://token.actions.githubusercontent.com */
  @MaxLength(500)
  @MinLength(1)
  @IsString()
  issuer!: string;

  @MaxLength(2000)
  @IsString()
  @IsOptional()
  jwks_uri?: string;

  /** The keys inline, `{ "keys": [...] }`, instead of a jwks_uri. */
  @IsObject()
  @IsOptional()
  jwks?: { keys: Record<string, unknown>[] };

  /** The `aud` its tokens must carry. */
  @MaxLength(500)
  @MinLength(1)
  @IsString()
  audience!: string;

  @IsObject()
  @IsOptional()
  required_claims?: Record<string, string>;

  @IsIn(SCOPES, { each: true, message: `each scope must be one of ${SCOPES.join(', ')}` })
  @ArrayUnique()
  @ArrayMinSize(1)
  @IsArray()
  @IsOptional()
  allowed_scopes?: string[];

  /** Lifetime of an exchanged token: 60 s to 1 h, default 15 min. */
  @Max(3600)
  @Min(60)
  @IsInt()
  @IsOptional()
  max_ttl_seconds?: number;

  /** Trust the issuer without required claims: any of its subjects may report into the org. */
  @IsBoolean()
  @IsOptional()
  allow_any_subject?: boolean;
}
