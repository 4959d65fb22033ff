import { type DeploymentInput, TEAM_SLUG_PATTERN } from '@dora/domain';
import { IsBoolean, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { IsEnvironment, IsRepoFullName, IsService } from '../../../common/deployment-fields.js';
import { IsTimestamp, MAX_FUTURE_MS } from '../../../common/timestamps.js';

/** DESIGN §5. `null` means "not given" for the optional strings; booleans must be real JSON booleans. */
export class CreateDeploymentDto implements DeploymentInput {
  @IsRepoFullName()
  repo_full_name!: string;

  @IsEnvironment()
  environment!: string;

  @IsTimestamp({ maxFutureMs: MAX_FUTURE_MS })
  deployed_at!: string;

  @Matches(/^[0-9A-Fa-f]{7,64}$/, { message: 'must be 7-64 hexadecimal characters' })
  @IsString()
  @IsOptional()
  commit_sha?: string;

  @IsTimestamp()
  @IsOptional()
  committed_at?: string;

  @IsBoolean()
  @ValidateIf((body: CreateDeploymentDto) => body.success !== undefined)
  success?: boolean;

  @IsBoolean()
  @ValidateIf((body: CreateDeploymentDto) => body.is_rework !== undefined)
  is_rework?: boolean;

  @Matches(/^\P{Cc}{1,255}$/u, { message: 'must be 1-255 characters without control characters' })
  @IsString()
  @IsOptional()
  external_ref?: string;

  @IsService()
  @IsOptional()
  service?: string;

  @Matches(TEAM_SLUG_PATTERN, { message: 'must be the slug of one of the org’s teams' })
  @IsString()
  @IsOptional()
  team?: string;
}
