import { IsOptional } from 'class-validator';
import { IsEnvironment, IsRepoFullName, IsService } from '../../../common/deployment-fields.js';

/** Which series' last successful deployment: as an ingest names it (no service: the whole repo's). */
export class LastDeploymentQueryDto {
  @IsRepoFullName()
  repo_full_name!: string;

  @IsEnvironment()
  environment!: string;

  @IsService()
  @IsOptional()
  service?: string;
}
