import { type CommitInput, type DeploymentInput, TEAM_SLUG_PATTERN } from '@dora/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { IsEnvironment, IsRepoFullName, IsService } from '../../../common/deployment-fields.js';
import { IsTimestamp, MAX_FUTURE_MS } from '../../../common/timestamps.js';

const SHA = /^[0-9A-Fa-f]{7,64}$/;

/** The most commits one deployment may list. */
export const MAX_CHANGE_SET = 1000;

/** One commit of a change set: the rules of `commit_sha` and `committed_at`, both required. */
export class CommitDto implements CommitInput {
  @Matches(SHA, { message: 'must be 7-64 hexadecimal characters' })
  @IsString()
  sha!: string;

  @IsTimestamp()
  committed_at!: string;
}

/** DESIGN §5. `null` means "not given" for the optional strings; booleans must be real JSON booleans. */
export class CreateDeploymentDto implements DeploymentInput {
  @IsRepoFullName()
  repo_full_name!: string;

  @IsEnvironment()
  environment!: string;

  @IsTimestamp({ maxFutureMs: MAX_FUTURE_MS })
  deployed_at!: string;

  @Matches(SHA, { message: 'must be 7-64 hexadecimal characters' })
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

  @ValidateNested({ each: true })
  @Type(() => CommitDto)
  @ArrayMaxSize(MAX_CHANGE_SET)
  @IsArray()
  @IsOptional()
  commits?: CommitDto[];
}
