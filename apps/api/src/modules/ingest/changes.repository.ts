import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transactions.js';
import { DEPLOYMENTS_BUCKET } from '../../database/migrations/1795790000000-change-counts.js';
import { NO_PIN } from '../teams/teams.repository.js';

/** A commit of a change set, its sha lower-case. */
export interface ChangeCommit {
  sha: string;
  committedAt: string;
}

/** The deployment that shipped a change set. */
export interface ShippingDeployment {
  id: string;
  tenantId: string;
  repoFullName: string;
  service: string;
  environment: string;
  /** RFC 3339 in UTC, as `toUtc` writes it. */
  deployedAt: string;
  success: boolean;
  pinnedTeamId: string | null;
}

/** Rows per statement: 1,000 commits in two, under PostgreSQL's 65,535 parameters. */
const CHUNK = 500;

/** What shipping a change set changed: the changes each deployment gained or lost, and the counts of (UTC day, bucket). */
class Shipped {
  readonly byDeployment = new Map<string, { day: string; delta: number; buckets: number[] }>();
  readonly counts = new Map<string, number>();

  /** A deployment by its id and its UTC day (YYYY-MM-DD). */
  deployment(id: string, day: string): { day: string; delta: number; buckets: number[] } {
    let entry = this.byDeployment.get(id);
    if (!entry) this.byDeployment.set(id, (entry = { day, delta: 0, buckets: [] }));
    return entry;
  }

  count(day: string, bucket: number, delta: number): void {
    const key = `${day}|${bucket}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + delta);
  }
}

/**
 * Change sets (DESIGN §3): the commits a deployment ships, each commit's first successful deployment, and
 * the counts that per-change lead time reads (DESIGN §4).
 */
@Injectable()
export class ChangesRepository {
  /**
   * Stores the change set and, for a success, makes it each commit's first shipping deployment where it
   * is earlier than the one known — whatever order deployments arrive in (ties: the smaller id) — and
   * keeps the counts. Runs under the series' lock (`keepRestores`), which every writer of these rows
   * holds: what is read before the upsert is what it replaces.
   */
  async record(tx: Tx, deployment: ShippingDeployment, commits: ChangeCommit[]): Promise<void> {
    const shipped = new Shipped();
    for (let start = 0; start < commits.length; start += CHUNK) {
      const chunk = commits.slice(start, start + CHUNK);
      const values = chunk.map((_, i) => `($1, $2, $${2 * i + 3}, $${2 * i + 4})`).join(', ');
      await tx.query(`INSERT INTO dora_deployment_commits (tenant_id, deployment_id, sha, committed_at) VALUES ${values}`, [
        deployment.tenantId,
        deployment.id,
        ...chunk.flatMap((commit) => [commit.sha, commit.committedAt]),
      ]);
      if (deployment.success) await this.ship(tx, deployment, chunk, shipped);
    }
    if (shipped.byDeployment.size > 0) await this.keepCounts(tx, deployment, shipped);
  }

  private async ship(tx: Tx, deployment: ShippingDeployment, chunk: ChangeCommit[], shipped: Shipped): Promise<void> {
    const series = [deployment.tenantId, deployment.repoFullName, deployment.service, deployment.environment];
    const before = new Map(
      (
        await tx.query<{ sha: string; first_deployment_id: string; day: string; lead_bucket: number }>(
          /* sql */ `
          SELECT sha, first_deployment_id, (first_deployed_at AT TIME ZONE 'UTC')::date::text AS day, lead_bucket FROM dora_changes
           WHERE tenant_id = $1 AND repo_full_name = $2 AND service = $3 AND environment = $4 AND sha = ANY ($5::text[])`,
          [...series, chunk.map((commit) => commit.sha)],
        )
      ).map((row) => [row.sha, row]),
    );
    const values = chunk.map((_, i) => `($1, $2, $3, $4, $${2 * i + 8}, $${2 * i + 9}, $5, $6, $7)`).join(', ');
    // lead_bucket is generated: moved to this deployment, a change gets the bucket of its new lead time.
    const rows = await tx.query<{ sha: string; lead_bucket: number }>(
      /* sql */ `
      INSERT INTO dora_changes AS c (tenant_id, repo_full_name, service, environment, sha, committed_at, first_deployment_id, first_deployed_at, pinned_team_id)
      VALUES ${values}
      ON CONFLICT (tenant_id, repo_full_name, service, environment, sha) DO UPDATE
         SET committed_at = EXCLUDED.committed_at, first_deployment_id = EXCLUDED.first_deployment_id,
             first_deployed_at = EXCLUDED.first_deployed_at, pinned_team_id = EXCLUDED.pinned_team_id
       WHERE (EXCLUDED.first_deployed_at, EXCLUDED.first_deployment_id) < (c.first_deployed_at, c.first_deployment_id)
      RETURNING c.sha, c.lead_bucket`,
      [...series, deployment.id, deployment.deployedAt, deployment.pinnedTeamId ?? NO_PIN, ...chunk.flatMap((commit) => [commit.sha, commit.committedAt])],
    );
    // Each row inserted or moved here is this deployment's now; a moved one leaves its earlier first deployment.
    for (const row of rows) {
      const here = shipped.deployment(deployment.id, deployment.deployedAt.slice(0, 10)); // RFC 3339 in UTC
      here.delta++;
      here.buckets.push(row.lead_bucket);
      const earlier = before.get(row.sha);
      if (earlier) {
        shipped.deployment(earlier.first_deployment_id, earlier.day).delta--;
        shipped.count(earlier.day, earlier.lead_bucket, -1);
      }
    }
  }

  /**
   * Each deployment's count of first-shipped changes, the counts of its changes' buckets on its UTC day,
   * and the day's deployments that first shipped one (a count going from 0, or back to 0). The counts'
   * rows are written in key order, so concurrent ingests never wait for each other in a cycle.
   */
  private async keepCounts(tx: Tx, deployment: ShippingDeployment, shipped: Shipped): Promise<void> {
    for (const [id, { day, delta, buckets }] of shipped.byDeployment) {
      if (delta === 0) continue;
      const [row] = await tx.query<{ after: number }>(
        `UPDATE dora_deployments SET first_shipped = first_shipped + $3 WHERE tenant_id = $1 AND id = $2 RETURNING first_shipped AS after`,
        [deployment.tenantId, id, delta],
      );
      const { after } = row!;
      for (const bucket of buckets) shipped.count(day, bucket, 1);
      if (after - delta === 0) shipped.count(day, DEPLOYMENTS_BUCKET, 1);
      else if (after === 0) shipped.count(day, DEPLOYMENTS_BUCKET, -1);
    }
    const counts = [...shipped.counts].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
    if (counts.length === 0) return;
    const values = counts.map((_, i) => `($1, $2, $${3 * i + 5}::date, $${3 * i + 6}::smallint, (abs(hashtext($3 || '/' || $4)) % 8)::smallint, $${3 * i + 7}::int)`);
    await tx.query(
      /* sql */ `
      INSERT INTO dora_change_counts AS k (tenant_id, environment, day, lead_bucket, slot, n) VALUES ${values.join(', ')}
      ON CONFLICT (tenant_id, environment, day, lead_bucket, slot) DO UPDATE SET n = k.n + EXCLUDED.n`,
      [
        deployment.tenantId,
        deployment.environment,
        deployment.repoFullName,
        deployment.service,
        ...counts.flatMap(([key, n]) => {
          const [day, bucket] = key.split('|');
          return [day, Number(bucket), n];
        }),
      ],
    );
  }
}
