import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Transactions } from '../../database/transactions.js';
import { type ForgejoDeploymentInput, IngestService } from '../ingest/ingest.service.js';
import { MAX_FUTURE_MS, parseRfc3339, toUtc } from '../../common/timestamps.js';
import { type Delivery, DeliveriesRepository, type Outcome } from './deliveries.repository.js';
import type { ChangeCommit } from '../ingest/deployments.repository.js';
import { MAX_CHANGE_SET } from '../ingest/dto/create-deployment.dto.js';
import { ForgejoClient, ForgejoRefusedError, ForgejoUnavailableError, type ResolvedCommit } from './forgejo-client.js';
import { type DeliveryPlan, planDelivery } from './forgejo-payload.js';
import { Telemetry } from '../observability/telemetry.js';
import { ForgejoOwnersRepository } from './forgejo-owners.repository.js';
import { ForgejoOwnersService } from './forgejo-owners.service.js';
import { WebhookService } from './webhook.service.js';

/** Deliveries worked on at once per process: a slow Forgejo answer never holds up the others. */
const CONCURRENCY = 4;
/** An attempt's Forgejo calls, together, may take as long as this many calls timing out; then it is retried later. */
const ATTEMPT_CALLS = 6;

/** A definite answer — the ref is not there (404), or the date is in the future — so the delivery fails (an admin may retry it). */
class RefusedDeliveryError extends Error {}


/**
 * Works through pending deliveries after they were acknowledged, in every API process: claims one at a
 * time with FOR UPDATE SKIP LOCKED and a lease, resolves the commit through the Forgejo API, records the
 * deployment, and retries with exponential back-off what could not be done now. Pending deliveries
 * survive restarts: they are in the database, and a process looks for due ones at start and every poll.
 */
@Injectable()
export class DeliveryProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebhookProcessor');
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private claiming = false;
  private stopped = true;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transactions: Transactions,
    private readonly deliveries: DeliveriesRepository,
    private readonly owners: ForgejoOwnersRepository,
    private readonly ownersService: ForgejoOwnersService,
    private readonly ingest: IngestService,
    private readonly forgejo: ForgejoClient,
    private readonly telemetry: Telemetry,
    webhook: WebhookService,
  ) {
    webhook.onPending = () => this.wake();
  }

  /** Processes only where the webhook is configured: all instances of a service share its settings. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.forgejo.webhookSecret) return;
    this.stopped = false;
    if (!this.forgejo.configured) this.logger.warn('FORGEJO_URL is not set: releases are recorded without their commit (no lead time)');
    // An owner mapped while its kept deliveries could not be queued again (a crash in between) is caught up here.
    await this.ownersService.requeueAwaiting().catch((error: unknown) => this.logger.warn(`could not queue kept deliveries: ${String(error)}`));
    this.wake();
  }

  /** Stops claiming and lets the deliveries in hand finish (a delivery left unfinished is picked up again when its lease ends). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Looks for due deliveries now. */
  wake(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.claimAll(), 0);
  }

  private async claimAll(): Promise<void> {
    if (this.claiming) return;
    this.claiming = true;
    try {
      while (!this.stopped && this.inFlight.size < CONCURRENCY) {
        const delivery = await this.transactions.acrossTenants('webhook inbox', (tx) => this.deliveries.claimDue(tx, this.leaseMs()));
        if (!delivery) break;
        const work: Promise<void> = this.process(delivery).finally(() => {
          this.inFlight.delete(work);
          this.wake();
        });
        this.inFlight.add(work);
      }
    } catch (error) {
      this.logger.warn(`could not claim deliveries: ${(error as Error).message}`);
    } finally {
      this.claiming = false;
      if (!this.stopped) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.claimAll(), this.config.forgejo.pollIntervalMs);
      }
    }
  }

  private async process(delivery: Delivery): Promise<void> {
    const outcome = await this.attempt(delivery);
    try {
      const recorded = await this.transactions.acrossTenants('webhook inbox', (tx) => this.deliveries.finish(tx, delivery, outcome));
      if (outcome.status === 'pending') this.telemetry.webhookRetries.inc();
      else this.telemetry.webhookDeliveries.inc({ status: outcome.status });
      const what = outcome.status === 'pending' ? `retry at ${outcome.retryAt!.toISOString()}` : outcome.status;
      this.logger.log(
        `delivery ${delivery.id} attempt ${delivery.attempts}: ${what}${outcome.lastError ? ` (${outcome.lastError})` : ''}${recorded ? '' : ' — claimed elsewhere since, not recorded'}`,
      );
    } catch (error) {
      this.logger.warn(`delivery ${delivery.id}: could not record the outcome, retried after its lease: ${(error as Error).message}`);
    }
  }

  private async attempt(delivery: Delivery): Promise<Outcome> {
    const plan = planDelivery(delivery.event, delivery.payload);
    if (plan.kind === 'skip') return { status: 'skipped', tenantId: null, deploymentId: null, lastError: plan.reason, retryAt: null };
    let tenantId: string | null = null;
    try {
      tenantId = (await this.transactions.acrossTenants('webhook inbox', (tx) => this.owners.orgOf(tx, plan.owner.toLowerCase(), this.config.forgejo.mapOwnerToSlug))) ?? null;
      if (!tenantId) return { status: 'skipped', tenantId: null, deploymentId: null, lastError: 'owner not mapped to an org', retryAt: null, awaitingOwner: true };
      const within = AbortSignal.timeout(this.attemptMs());
      const deployment = plan.kind === 'release' ? await this.fromRelease(plan, within) : await this.fromTag(plan, delivery, within);
      const deployedAt = parseRfc3339(deployment.deployedAt);
      if (deployedAt === undefined) throw new RefusedDeliveryError(`its date ${JSON.stringify(deployment.deployedAt)} is not an RFC 3339 timestamp`);
      if (deployedAt > Date.now() + MAX_FUTURE_MS) {
        throw new RefusedDeliveryError(`its date ${deployment.deployedAt} is more than 5 minutes in the future (as on ingest)`);
      }
      const committedAt = deployment.committedAt !== null && parseRfc3339(deployment.committedAt) !== undefined ? toUtc(deployment.committedAt) : null;
      const { id } = await this.ingest.recordForgejoDeployment({
        ...deployment,
        deployedAt: toUtc(deployment.deployedAt),
        committedAt,
        tenantId,
        deliveryId: delivery.id,
      });
      return { status: 'processed', tenantId, deploymentId: id, lastError: null, retryAt: null };
    } catch (error) {
      const message = (error as Error).message;
      if (error instanceof RefusedDeliveryError || error instanceof ForgejoRefusedError) {
        return { status: 'failed', tenantId, deploymentId: null, lastError: message, retryAt: null };
      }
      // Forgejo (or the database) could not answer now: back off, until the retry period is over.
      if (Date.now() >= delivery.give_up_at.getTime()) {
        return { status: 'failed', tenantId, deploymentId: null, lastError: `gave up after ${delivery.attempts} attempts: ${message}`, retryAt: null };
      }
      if (!(error instanceof ForgejoUnavailableError)) this.logger.warn(`delivery ${delivery.id}: ${message}`);
      return { status: 'pending', tenantId, deploymentId: null, lastError: message, retryAt: new Date(Date.now() + this.backoffMs(delivery.attempts)) };
    }
  }

  /**
   * One release = one deployment at its created_at, on the commit of its tag (else of its target), shipping
   * the commits since the previous release.
   */
  private async fromRelease(
    plan: Extract<DeliveryPlan, { kind: 'release' }>,
    within: AbortSignal,
  ): Promise<Omit<ForgejoDeploymentInput, 'tenantId' | 'deliveryId'>> {
    const commit = await this.resolveCommit(plan, [plan.tag, plan.targetCommitish], within);
    const changeSet = commit ? await this.changeSetOf(plan, commit, within) : undefined;
    return {
      repoFullName: plan.fullName,
      deployedAt: plan.createdAt,
      commitSha: commit?.sha ?? null,
      committedAt: commit?.authorDate ?? null,
      externalRef: `release:${plan.releaseId}`,
      releaseTag: plan.tag,
      commits: changeSet?.commits,
      changeSetTruncated: changeSet?.truncated ?? false,
    };
  }

  /**
   * The commits between the previous release and this one (DESIGN §6): Forgejo's comparison of the
   * previous release's commit with `head`, the head commit and the 999 newest others when there are more
   * than 1,000. The first release — or one whose previous release's tag is gone — ships its head commit.
   */
  private async changeSetOf(
    plan: Extract<DeliveryPlan, { kind: 'release' }>,
    head: ResolvedCommit,
    within: AbortSignal,
  ): Promise<{ commits: ChangeCommit[]; truncated: boolean }> {
    const headOnly = { commits: changeCommits([head]), truncated: false };
    const previous = await this.forgejo.previousRelease(plan.owner, plan.name, { id: plan.releaseId, createdAt: plan.createdAt }, within);
    if (!previous) return headOnly;
    const base = await this.forgejo.commit(plan.owner, plan.name, previous.tag, within);
    const comparison = base && (await this.forgejo.compare(plan.owner, plan.name, base.sha, head.sha, within));
    if (!comparison) return headOnly;
    const others = comparison.commits.filter((commit) => commit.sha.toLowerCase() !== head.sha.toLowerCase());
    const kept = [head, ...others.slice(0, MAX_CHANGE_SET - 1)];
    return { commits: changeCommits(kept), truncated: others.length + 1 > kept.length || comparison.total > comparison.commits.length };
  }

  /** A pushed v* tag = one deployment at the tag's date (annotated), else when the delivery arrived. */
  private async fromTag(
    plan: Extract<DeliveryPlan, { kind: 'tag' }>,
    delivery: Delivery,
    within: AbortSignal,
  ): Promise<Omit<ForgejoDeploymentInput, 'tenantId' | 'deliveryId'>> {
    let taggedAt: string | undefined;
    let commit: ResolvedCommit | null = null;
    if (this.forgejo.configured) {
      const tag = await this.forgejo.tag(plan.owner, plan.name, plan.tag, within);
      if (!tag) throw new RefusedDeliveryError(`tag ${plan.tag} not found in ${plan.fullName}`);
      taggedAt = tag.taggedAt;
      commit = await this.resolveCommit(plan, [tag.commitSha], within);
    }
    return {
      repoFullName: plan.fullName,
      deployedAt: taggedAt ?? delivery.received_at.toISOString(),
      commitSha: commit?.sha ?? null,
      committedAt: commit?.authorDate ?? null,
      externalRef: `tag:${plan.tag}`,
      releaseTag: plan.tag,
      changeSetTruncated: false,
    };
  }

  /** The first of the refs that resolves to a commit; `null` when Forgejo's API is not configured. */
  private async resolveCommit(plan: { owner: string; name: string; fullName: string }, refs: string[], within: AbortSignal): Promise<ResolvedCommit | null> {
    if (!this.forgejo.configured) return null;
    const candidates = refs.filter((ref) => ref !== '');
    for (const ref of candidates) {
      const commit = await this.forgejo.commit(plan.owner, plan.name, ref, within);
      if (commit) return commit;
    }
    throw new RefusedDeliveryError(`not found in ${plan.fullName}: ${candidates.join(', ')} (Forgejo answered 404)`);
  }

  private backoffMs(attempts: number): number {
    const { retryBaseMs, retryMaxMs } = this.config.forgejo;
    return Math.min(retryMaxMs, retryBaseMs * 2 ** Math.max(0, attempts - 1));
  }

  /**
   * One attempt's calls — the commit (two refs), the release pages, the previous commit and the comparison —
   * share this deadline, so that the lease stays short: a crashed process's deliveries are taken over soon.
   */
  private attemptMs(): number {
    return ATTEMPT_CALLS * this.config.forgejo.apiTimeoutMs;
  }

  /** The attempt, and time to record its outcome. */
  private leaseMs(): number {
    return this.attemptMs() + 10_000;
  }
}

/** A change set's commits as stored: shas lower-case, times in UTC; a commit whose date is not RFC 3339 has no lead time and is left out. */
function changeCommits(commits: ResolvedCommit[]): ChangeCommit[] {
  return commits.filter((commit) => parseRfc3339(commit.authorDate) !== undefined).map((commit) => ({ sha: commit.sha.toLowerCase(), committedAt: toUtc(commit.authorDate) }));
}
