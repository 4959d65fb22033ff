import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { DomainError } from '../../common/errors.js';
import { isUniqueViolation } from '../../database/postgres-errors.js';
import { type CrossTenantPath, Transactions } from '../../database/transactions.js';
import { Credentials, OrgLookup } from '../../access/access-ports.js';
import { type Actor, type Org, settingsOf } from '../../access/principals.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { orgSlugProblem } from './org-slug.js';
import type { DoraSettings, WindowDays } from '@dora/domain';
import type { RequestContext } from '../../common/request-context.js';
import type { UpdateSettingsDto } from './dto/update-settings.dto.js';
import { type Tenant, TenantsRepository } from './tenants.repository.js';

@Injectable()
export class TenantsService implements OrgLookup {
  constructor(
    private readonly transactions: Transactions,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditRepository,
    private readonly credentials: Credentials,
  ) {}

  async create(input: { slug: string; name: string }, actor: Actor & { type: 'system' }): Promise<Tenant> {
    const slugProblem = orgSlugProblem(input.slug);
    if (slugProblem) throw new DomainError('validation_failed', slugProblem, [{ field: 'slug', message: slugProblem }]);
    const name = input.name.trim();
    if (name.length < 1 || name.length > 200) {
      throw new DomainError('validation_failed', 'An org name has 1-200 characters', [{ field: 'name', message: 'must have 1-200 characters' }]);
    }
    const tenant: Tenant = { id: uuidv7(), slug: input.slug, name };
    try {
      await this.transactions.inTenant(tenant.id, async (tx) => {
        await this.tenants.insert(tx, tenant);
        await this.audit.record(tx, {
          tenantId: tenant.id,
          action: 'org.created',
          actor,
          subject: { type: 'org', id: tenant.id },
          metadata: { slug: tenant.slug, name: tenant.name },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('conflict', `An org with the slug "${input.slug}" already exists`);
      throw error;
    }
    return tenant;
  }

  /**
   * The org of `slug` if it is the caller's own tenant. Another org's slug answers exactly like one that
   * does not exist: row-level security hides it.
   */
  async findOwnOrg(tenantId: string, slug: string): Promise<Org> {
    const org = await this.transactions.inTenant(tenantId, (tx) => this.tenants.findBySlug(tx, slug));
    if (!org) throw new DomainError('not_found', `No org with the slug "${slug}"`);
    return org;
  }

  async updateSettings(org: Org, change: UpdateSettingsDto, actor: Actor, request: RequestContext): Promise<DoraSettings> {
    if (Object.values(change).every((value) => value === undefined)) {
      throw new DomainError('validation_failed', 'Give window_days, timezone, lead_time_basis or max_token_lifetime_days');
    }
    const before = settingsOf(org);
    const after: DoraSettings = {
      window_days: (change.window_days as WindowDays | undefined) ?? before.window_days,
      timezone: change.timezone ?? before.timezone,
      lead_time_basis: change.lead_time_basis ?? before.lead_time_basis,
      max_token_lifetime_days: change.max_token_lifetime_days === undefined ? before.max_token_lifetime_days : change.max_token_lifetime_days,
    };
    await this.transactions.inTenant(org.id, async (tx) => {
      if (!(await this.tenants.isTimezone(tx, after.timezone))) {
        const message = `"${after.timezone}" is not a time zone: use an IANA name such as Europe/Berlin or UTC`;
        throw new DomainError('validation_failed', message, [{ field: 'timezone', message: 'must be an IANA time zone name' }]);
      }
      await this.tenants.updateSettings(tx, org.id, after);
      await this.audit.record(tx, {
        tenantId: org.id,
        action: 'dora.settings.updated',
        actor,
        subject: { type: 'org', id: org.id },
        request,
        metadata: { before, after },
      });
    });
    if (after.max_token_lifetime_days !== before.max_token_lifetime_days) this.credentials.forgetTokensOf(org.id);
    return after;
  }

  findPublicOrg(slug: string): Promise<Org | undefined> {
    return this.transactions.acrossTenants('org lookup', (tx) => this.tenants.findBySlug(tx, slug));
  }

  /** Resolves a slug before any tenant is known. */
  async findBySlug(slug: string, path: CrossTenantPath): Promise<Tenant> {
    const tenant = await this.find(slug, path);
    if (!tenant) throw new DomainError('not_found', `No org with the slug "${slug}"`);
    return tenant;
  }

  find(slug: string, path: CrossTenantPath): Promise<Tenant | undefined> {
    return this.transactions.acrossTenants(path, (tx) => this.tenants.findBySlug(tx, slug));
  }

  isEmpty(): Promise<boolean> {
    return this.transactions.acrossTenants('first-start bootstrap', (tx) => this.tenants.isEmpty(tx));
  }

  list(): Promise<Tenant[]> {
    return this.transactions.acrossTenants('service status', (tx) => this.tenants.list(tx));
  }
}
