import { Controller, Get, Inject } from '@nestjs/common';
import type { HealthStatus, ServiceStatus } from '@dora/domain';
import { DomainError } from '../../common/errors.js';
import { SERVICE_VERSION } from '../../common/version.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { DatabaseHealth } from '../../database/database-health.js';
import { OPEN_DATABASE, READ_REPLICA } from '../../database/database-tokens.js';
import type { OpenDatabase } from '../../database/open-database.js';
import type { ReadReplica } from '../../database/read-replica.js';
import { TenantsService } from '../tenancy/tenants.service.js';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors } from '../../openapi/decorators.js';

@ApiTags('Operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly database: DatabaseHealth,
    private readonly tenants: TenantsService,
    @Inject(OPEN_DATABASE) private readonly openDatabase: OpenDatabase,
    @Inject(READ_REPLICA) private readonly replica: ReadReplica | null,
  ) {}

  /** The process is up. */
  @Get('healthz')
  @ApiOperation({ summary: 'The process is up' })
  @ApiAnswer(200, 'HealthStatus')
  healthz(): HealthStatus {
    return { status: 'ok' };
  }

  /** The process can serve: its database answers. A replica that is away only moves the reads to the primary. */
  @Get('readyz')
  @ApiOperation({ summary: 'The process can serve: its database answers (and how far the read replica is behind, when there is one)' })
  @ApiAnswer(200, 'HealthStatus')
  @ApiErrors(503)
  async readyz(): Promise<HealthStatus> {
    if (!(await this.database.isReachable(2000))) {
      throw new DomainError('database_unavailable', 'The database does not answer', undefined, 2);
    }
    if (!this.replica) return { status: 'ready' };
    const { state, lagSeconds, maxLagSeconds } = this.replica.status;
    return { status: 'ready', read_replica: { state, lag_seconds: lagSeconds, max_lag_seconds: maxLagSeconds } };
  }

  /** What the landing page shows: the service is up and on which database; the orgs only when the operator made their list public. */
  @Get('api/v1/status')
  @ApiOperation({ summary: 'What the landing page shows: version, database kind (and the orgs with PUBLIC_ORG_DIRECTORY=true)' })
  @ApiAnswer(200, 'ServiceStatus')
  async status(): Promise<ServiceStatus> {
    const status: ServiceStatus = { status: 'ok', version: SERVICE_VERSION, database: this.openDatabase.kind };
    if (!this.config.publicOrgDirectory) return status;
    const orgs = await this.tenants.list();
    return { ...status, orgs: orgs.map(({ slug, name }) => ({ slug, name })) };
  }
}
