import { MAX_TEAM_RULES, RULE_PATTERN, type TeamRule, TEAM_SLUG_PATTERN } from '@dora/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';

const SLUG_MESSAGE = 'must be 1-63 lowercase letters, digits and "-", starting with a letter or digit';
const PATTERN_MESSAGE = 'must be letters, digits, "-", "_", ".", "/" and "*" (any run of them)';

export class CreateTeamDto {
  @Matches(TEAM_SLUG_PATTERN, { message: SLUG_MESSAGE })
  @IsString()
  slug!: string;

  @MaxLength(200)
  @MinLength(1)
  @IsString()
  name!: string;
}

export class UpdateTeamDto {
  @Matches(TEAM_SLUG_PATTERN, { message: SLUG_MESSAGE })
  @IsString()
  @IsOptional()
  slug?: string;

  @MaxLength(200)
  @MinLength(1)
  @IsString()
  @IsOptional()
  name?: string;
}

export class TeamRuleDto implements TeamRule {
  @Matches(TEAM_SLUG_PATTERN, { message: SLUG_MESSAGE })
  @IsString()
  team!: string;

  @Matches(RULE_PATTERN, { message: PATTERN_MESSAGE })
  @IsString()
  repo!: string;

  /** Null or absent: every deployment of the matching repos, with a service or without. */
  @MaxLength(128)
  @Matches(RULE_PATTERN, { message: PATTERN_MESSAGE })
  @IsString()
  @ValidateIf((rule: TeamRuleDto) => rule.service !== null && rule.service !== undefined)
  service: string | null = null;
}

/** The whole ordered rule list: the first rule that matches a deployment gives its team. */
export class TeamRulesDto {
  @ValidateNested({ each: true })
  @Type(() => TeamRuleDto)
  @ArrayMaxSize(MAX_TEAM_RULES)
  @IsArray()
  rules!: TeamRuleDto[];
}
