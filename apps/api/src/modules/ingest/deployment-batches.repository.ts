import { Injectable } from '@nestjs/common';
import { DEPLOYMENTS_BUCKET } from '../../database/migrations/1795790000000-change-counts.js';
import { KINDS_OF } from '../../database/migrations/1795830000000-deployment-counts.js';
import { byKey, insertRows } from '../../database/insert-rows.js';
import type { Tx } from '../../database/transactions.js';
import { NO_PIN } from '../teams/teams.repository.js';
import type { ChangeCommit, NewDeployment } from './deployments.repository.js';

/** A deployment of a batch and the commits it ships. */
export interface BatchDeployment extends NewDeployment {
  changeSet: ChangeCommit[];
}

/** A row a batch stored, with its time as PostgreSQL keeps it: UTC to the microsecond, fixed width, so comparable as text. */
export interface StoredRow<Row extends BatchDeployment = BatchDeployment> {
  row: Row;
  at: string;
  /** What dora_deployment_counts counts it as (`KINDS_OF`). */
  kinds: number[];
}

/** One (environment, day, bucket) count of a series to change (see `dora_add_change_counts`). */
interface CountDelta {
  environment: string;
  day: string;
  bucket: number;
  repo: string;
  service: string;
  delta: number;
}

/**
 * Days are returned as numbers since 2000-01-01 (`dayOf` makes them dates again): Citus allows only
 * immutable functions in RETURNING, and a date's text form depends on the session's DateStyle.
 */
const EPOCH = `DATE '2000-01-01'`;
const dayOf = (days: number) => new Date(Date.UTC(2000, 0, 1 + days)).toISOString().slice(0, 10);

/** A series (tenant, environment, repo, service) as text, to group by. */
const seriesOf = (d: { environment: string; repoFullName: string; service: string }) => `${d.environment}\0${d.repoFullName}\0${d.service}`;

/**
 * The writes of a batch of deployments, a few statements for all its rows (DESIGN §3, "Writing a
 * batch"), with the same results as ingesting the rows one by one: the same restores, change sets and
 * counts as `dora_derive_deployment` keeps for one row.
 */
@Injectable()
export class DeploymentBatchesRepository {
  /**
   * Inserts each row whose (repo, environment, external_ref) is not stored yet, in that key's order (two
   * batches that overlap wait for each other, never in a cycle), with its commits; answers the rows it
   * inserted.
   */
  async insertNew<Row extends BatchDeployment>(tx: Tx, tenantId: string, rows: Row[]): Promise<StoredRow<Row>[]> {
    const byId = new Map(rows.map((row) => [row.id, row]));
    const ordered = [...rows].sort((a, b) => byKey([a.repoFullName, a.environment, a.externalRef], [b.repoFullName, b.environment, b.externalRef]));
    const inserted = await insertRows<{ id: string }>(
      tx,
      tenantId,
      ordered.map((d) => [
        d.id,
        d.repoFullName,
        d.environment,
        d.deployedAt,
        d.commitSha,
        d.committedAt,
        d.success,
        d.isRework,
        d.externalRef,
        d.source,
        d.tokenId,
        d.service,
        d.pinnedTeamId,
      ]),
      (values) => /* sql */ `
        INSERT INTO dora_deployments
          (tenant_id, id, repo_full_name, environment, deployed_at, commit_sha, committed_at, success, is_rework,
           external_ref, source, token_id, service, pinned_team_id)
        VALUES ${values}
        ON CONFLICT (tenant_id, repo_full_name, environment, external_ref) WHERE external_ref IS NOT NULL DO NOTHING
        RETURNING id`,
    );
    // Read back, not returned: Citus allows only immutable functions in RETURNING, and a Date holds no microseconds.
    const times = await tx.query<{ id: string; at: string; kinds: number[] }>(
      /* sql */ `
      SELECT d.id, to_char(d.deployed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, ${KINDS_OF('d')} AS kinds
        FROM dora_deployments d WHERE d.tenant_id = $1 AND d.id = ANY ($2::uuid[])`,
      [tenantId, inserted.map(({ id }) => id)],
    );
    const stored = times.map(({ id, at, kinds }) => ({ row: byId.get(id)!, at, kinds }));
    await insertRows(
      tx,
      tenantId,
      stored.flatMap(({ row }) => row.changeSet.map((commit) => [row.id, commit.sha, commit.committedAt])),
      (values) => `INSERT INTO dora_deployment_commits (tenant_id, deployment_id, sha, committed_at) VALUES ${values}`,
    );
    return stored;
  }

  /** The ids of stored deployments by (repo, environment, external_ref), keyed as `key` gives. */
  async idsByExternalRef(tx: Tx, tenantId: string, rows: BatchDeployment[]): Promise<Map<string, string>> {
    const found = await tx.query<{ repo_full_name: string; environment: string; external_ref: string; id: string }>(
      /* sql */ `
      SELECT d.repo_full_name, d.environment, d.external_ref, d.id
        FROM unnest($2::text[], $3::text[], $4::text[]) AS k (repo, environment, ref)
        JOIN dora_deployments d ON d.tenant_id = $1 AND d.repo_full_name = k.repo AND d.environment = k.environment AND d.external_ref = k.ref`,
      [tenantId, rows.map((d) => d.repoFullName), rows.map((d) => d.environment), rows.map((d) => d.externalRef)],
    );
    return new Map(found.map((d) => [externalRefKey({ repoFullName: d.repo_full_name, environment: d.environment, externalRef: d.external_ref }), d.id]));
  }

  /**
   * What the stored rows imply, under the locks of their series (taken in key order): the restores of
   * each series, the change sets with each commit's first shipping deployment, `first_shipped` and the
   * change counts, then the deployment counts (as `dora_derive_deployment` keeps them). The caller has attributed the rows' targets.
   */
  async derive(tx: Tx, tenantId: string, stored: StoredRow[]): Promise<void> {
    if (stored.length === 0) return;
    const series = [...new Map(stored.map(({ row }) => [seriesOf(row), row])).values()];
    await tx.query(`SELECT dora_lock_series($1, $2, $3, $4)`, [
      tenantId,
      series.map((s) => s.environment),
      series.map((s) => s.repoFullName),
      series.map((s) => s.service),
    ]);
    await this.keepRestores(tx, tenantId, stored);
    await this.storeChangeSets(tx, tenantId, stored);
    const counted = stored.flatMap(({ row, at, kinds }) => kinds.map((kind) => ({ row, day: at.slice(0, 10), kind })));
    await tx.query(`SELECT dora_add_deployment_counts($1, $2, $3, $4, $5, $6)`, [
      tenantId,
      counted.map(({ row }) => row.environment),
      counted.map(({ day }) => day),
      counted.map(({ kind }) => kind),
      counted.map(({ row }) => row.repoFullName),
      counted.map(({ row }) => row.service),
    ]);
  }

  /**
   * Each failure's restored_at is the first success of its series strictly later than it. New rows
   * from `since` (the series' earliest) on can change only the new failures and the failures from the
   * last success before `since` up to the latest new success (`until`): those are recomputed, and
   * written where they change.
   */
  private async keepRestores(tx: Tx, tenantId: string, stored: StoredRow[]): Promise<void> {
    const spans = new Map<string, { row: BatchDeployment; since: string; until: string | null }>();
    for (const { row, at } of stored) {
      const span = spans.get(seriesOf(row)) ?? { row, since: at, until: null };
      if (at < span.since) span.since = at;
      if (row.success && (span.until === null || at > span.until)) span.until = at;
      spans.set(seriesOf(row), span);
    }
    const all = [...spans.values()];
    await tx.query(
      /* sql */ `
      UPDATE dora_deployments d SET restored_at = r.first
        FROM (SELECT f.id, f.restored_at,
                     (SELECT min(n.deployed_at) FROM dora_deployments n
                       WHERE n.tenant_id = $1 AND n.environment = f.environment AND n.repo_full_name = f.repo_full_name
                         AND n.service = f.service AND n.success AND n.deployed_at > f.deployed_at) AS first
                FROM (SELECT f.id, f.environment, f.repo_full_name, f.service, f.deployed_at, f.restored_at
                        FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[]) AS s (environment, repo, service, since, until)
                        CROSS JOIN LATERAL (SELECT coalesce(max(p.deployed_at), '-infinity') AS low FROM dora_deployments p
                                             WHERE p.tenant_id = $1 AND p.environment = s.environment AND p.repo_full_name = s.repo
                                               AND p.service = s.service AND p.success AND p.deployed_at < s.since) b
                        -- Each series' range read from its index (OFFSET 0: not flattened into a join that reads all the org's failures).
                        CROSS JOIN LATERAL (SELECT f.* FROM dora_deployments f
                                             WHERE f.tenant_id = $1 AND f.environment = s.environment AND f.repo_full_name = s.repo
                                               AND f.service = s.service AND NOT f.success AND f.deployed_at >= b.low AND f.deployed_at < s.until
                                            OFFSET 0) f
                      UNION
                      SELECT f.id, f.environment, f.repo_full_name, f.service, f.deployed_at, f.restored_at
                        FROM dora_deployments f WHERE f.tenant_id = $1 AND f.id = ANY ($7::uuid[])) f) r
       WHERE d.tenant_id = $1 AND d.id = r.id AND r.first IS DISTINCT FROM r.restored_at`,
      [
        tenantId,
        all.map((s) => s.row.environment),
        all.map((s) => s.row.repoFullName),
        all.map((s) => s.row.service),
        all.map((s) => s.since),
        all.map((s) => s.until),
        stored.filter(({ row }) => !row.success).map(({ row }) => row.id),
      ],
    );
  }

  /**
   * For the successes, each commit's first shipping deployment of its series — the
   * earliest of the batch's (ties: the smaller id) where it is earlier than the one stored, if any — and
   * the counts that follow.
   */
  private async storeChangeSets(tx: Tx, tenantId: string, stored: StoredRow[]): Promise<void> {
    const firsts = new Map<string, { row: BatchDeployment; at: string; commit: ChangeCommit }>();
    for (const { row, at } of stored) {
      if (!row.success) continue;
      for (const commit of row.changeSet) {
        const key = `${seriesOf(row)}\0${commit.sha}`;
        const first = firsts.get(key);
        if (!first || at < first.at || (at === first.at && row.id < first.row.id)) firsts.set(key, { row, at, commit });
      }
    }
    const candidates = [...firsts.values()];
    if (candidates.length === 0) return;

    const counts: CountDelta[] = [];
    const shipped = new Map<string, number>();
    const gain = (row: BatchDeployment, day: string, bucket: number) => {
      counts.push({ environment: row.environment, day, bucket, repo: row.repoFullName, service: row.service, delta: 1 });
      shipped.set(row.id, (shipped.get(row.id) ?? 0) + 1);
    };

    const inserted = await insertRows<{ environment: string; repo_full_name: string; service: string; sha: string; lead_bucket: number }>(
      tx,
      tenantId,
      candidates.map(({ row, commit }) => [row.repoFullName, row.service, row.environment, commit.sha, commit.committedAt, row.id, row.deployedAt, row.pinnedTeamId ?? NO_PIN]),
      (values) => /* sql */ `
        INSERT INTO dora_changes
          (tenant_id, repo_full_name, service, environment, sha, committed_at, first_deployment_id, first_deployed_at, pinned_team_id)
        VALUES ${values}
        ON CONFLICT (tenant_id, repo_full_name, service, environment, sha) DO NOTHING
        RETURNING environment, repo_full_name, service, sha, lead_bucket`,
    );
    const isNew = new Set<string>();
    for (const change of inserted) {
      const key = `${change.environment}\0${change.repo_full_name}\0${change.service}\0${change.sha}`;
      isNew.add(key);
      const { row, at } = firsts.get(key)!;
      gain(row, at.slice(0, 10), change.lead_bucket);
    }

    // Shipped before in its series: moved to the batch's deployment where that one is earlier (lead_bucket is
    // generated: the change gets the bucket of its new lead time), answering where it was.
    const shippedBefore = [...firsts.entries()].filter(([key]) => !isNew.has(key)).map(([, first]) => first);
    const moved = shippedBefore.length === 0 ? [] : await tx.query<{ gainer: string; bucket: number; loser: string; lost_day: number; lost_bucket: number }>(
      /* sql */ `
      UPDATE dora_changes c SET committed_at = m.committed_at, first_deployment_id = m.id, first_deployed_at = m.deployed_at, pinned_team_id = m.pinned
        FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::uuid[], $8::timestamptz[], $9::uuid[])
               AS m (repo, service, environment, sha, committed_at, id, deployed_at, pinned),
             dora_changes was
       WHERE c.tenant_id = $1 AND c.repo_full_name = m.repo AND c.service = m.service AND c.environment = m.environment AND c.sha = m.sha
         AND was.tenant_id = $1 AND was.repo_full_name = m.repo AND was.service = m.service AND was.environment = m.environment AND was.sha = m.sha
         AND (m.deployed_at, m.id) < (was.first_deployed_at, was.first_deployment_id)
      RETURNING m.id AS gainer, c.lead_bucket AS bucket, was.first_deployment_id AS loser,
                (was.first_deployed_at AT TIME ZONE 'UTC')::date - ${EPOCH} AS lost_day, was.lead_bucket AS lost_bucket`,
      [
        tenantId,
        shippedBefore.map(({ row }) => row.repoFullName),
        shippedBefore.map(({ row }) => row.service),
        shippedBefore.map(({ row }) => row.environment),
        shippedBefore.map(({ commit }) => commit.sha),
        shippedBefore.map(({ commit }) => commit.committedAt),
        shippedBefore.map(({ row }) => row.id),
        shippedBefore.map(({ row }) => row.deployedAt),
        shippedBefore.map(({ row }) => row.pinnedTeamId ?? NO_PIN),
      ],
    );
    const rowsById = new Map(stored.map(({ row, at }) => [row.id, { row, at }]));
    for (const move of moved) {
      const { row, at } = rowsById.get(move.gainer)!;
      gain(row, at.slice(0, 10), move.bucket);
      counts.push({ environment: row.environment, day: dayOf(move.lost_day), bucket: move.lost_bucket, repo: row.repoFullName, service: row.service, delta: -1 });
      shipped.set(move.loser, (shipped.get(move.loser) ?? 0) - 1);
    }

    // Each deployment's count of first-shipped changes; a count leaving 0 or going back to 0 counts the day's deployments with changes.
    const changed = [...shipped.entries()].filter(([, delta]) => delta !== 0);
    const totals = await tx.query<{ environment: string; repo_full_name: string; service: string; day: number; first_shipped: number; delta: number }>(
      /* sql */ `
      UPDATE dora_deployments d SET first_shipped = d.first_shipped + v.delta
        FROM unnest($2::uuid[], $3::int[]) AS v (id, delta)
       WHERE d.tenant_id = $1 AND d.id = v.id
      RETURNING d.environment, d.repo_full_name, d.service, (d.deployed_at AT TIME ZONE 'UTC')::date - ${EPOCH} AS day, d.first_shipped, v.delta`,
      [tenantId, changed.map(([id]) => id), changed.map(([, delta]) => delta)],
    );
    for (const total of totals) {
      const before = total.first_shipped - total.delta;
      const delta = before === 0 && total.first_shipped > 0 ? 1 : before > 0 && total.first_shipped === 0 ? -1 : 0;
      if (delta !== 0) counts.push({ environment: total.environment, day: dayOf(total.day), bucket: DEPLOYMENTS_BUCKET, repo: total.repo_full_name, service: total.service, delta });
    }

    await tx.query(`SELECT dora_add_change_counts($1, $2, $3, $4, $5, $6, $7)`, [
      tenantId,
      counts.map((c) => c.environment),
      counts.map((c) => c.day),
      counts.map((c) => c.bucket),
      counts.map((c) => c.repo),
      counts.map((c) => c.service),
      counts.map((c) => c.delta),
    ]);
  }
}

/** A deployment's idempotency key as text. */
export const externalRefKey = (d: { repoFullName: string; environment: string; externalRef: string | null }) =>
  `${d.repoFullName}\0${d.environment}\0${d.externalRef}`;
