import { Injectable } from '@nestjs/common';
import type { Org } from '../../access/principals.js';
import { DomainError } from '../../common/errors.js';
import { parseRfc3339 } from '../../common/timestamps.js';
import type { Tx } from '../../database/transactions.js';
import { TeamsRepository } from '../teams/teams.repository.js';
import type { DeploymentScope, TeamFilter } from './scope.js';

/** A question's filters as the query gives them. */
export interface ScopeInput {
  environment: string;
  repo?: string;
  service?: string;
  team?: string;
}

/** Turns a question's filters into the scope the SQL reads. */
@Injectable()
export class ScopeResolver {
  constructor(private readonly teams: TeamsRepository) {}

  /** A team filter names one of the org's teams (or `unassigned`), else a validation error naming it. */
  async resolve(tx: Tx, org: Org, query: ScopeInput): Promise<DeploymentScope> {
    let team: TeamFilter = null;
    if (query.team === 'unassigned') team = 'unassigned';
    else if (query.team !== undefined) {
      const found = await this.teams.find(tx, org.id, query.team);
      if (!found) throw new DomainError('validation_failed', `team: no team "${query.team}" in this org`, [{ field: 'team', message: `no team "${query.team}" in this org` }]);
      team = { teamId: found.id };
    }
    return { tenantId: org.id, environment: query.environment, repo: query.repo ?? null, service: query.service ?? null, team };
  }
}

/** The moment a question is asked at: its `as_of`, else now. */
export function asOfOf(text: string | undefined): Date {
  return text === undefined ? new Date() : new Date(parseRfc3339(text)!);
}

/** The filters an answer echoes. */
export function echo(query: ScopeInput) {
  return { environment: query.environment, repo: query.repo ?? null, team: query.team ?? null, service: query.service ?? null };
}
