import type { MapForgejoOwnerRequest } from '@dora/domain';
import { IsString, Matches } from 'class-validator';
import { FORGEJO_LOGIN } from '../forgejo-owners.service.js';

export class MapForgejoOwnerDto implements MapForgejoOwnerRequest {
  /** A Forgejo user or org login (case does not matter). */
  @Matches(FORGEJO_LOGIN, { message: 'must be a Forgejo user or org login: 1-40 letters, digits, "-", "_" and "."' })
  @IsString()
  owner!: string;
}
