import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ReadReplicaHealth } from '@dora/domain';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { DatabaseTimeouts, ReadReplicaConfig } from '../config/config.js';

/** How often the replica's lag is measured (and an unreachable one tried again). */
const PROBE_INTERVAL_MS = 2_000;

export interface ReplicaStatus {
  /** Whether metric reads go there now. */
  inUse: boolean;
  state: ReadReplicaHealth['state'];
  /** Seconds behind the primary at the last probe; null when unknown (unreachable). */
  lagSeconds: number | null;
  maxLagSeconds: number;
}

/**
 * A streaming standby for the metric reads (DESIGN §3): a pool of its own, and a probe that measures
 * how far it is behind the primary. Reads go there only while it is reachable, a standby, and no more
 * than `maxLagSeconds` behind; each change of that is logged once.
 */
export class ReadReplica implements OnApplicationShutdown {
  private readonly logger = new Logger('ReadReplica');
  readonly pool: pg.Pool;
  private current: ReplicaStatus;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: ReadReplicaConfig,
    timeouts: DatabaseTimeouts,
    private readonly primary: DataSource,
  ) {
    this.pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolSize,
      application_name: 'dora-read',
      connectionTimeoutMillis: timeouts.acquireMs,
      statement_timeout: timeouts.statementMs,
      options: '-c TimeZone=UTC',
    });
    // As on the primary: an 'error' nobody hears would end the process.
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => client.on('error', (error) => this.logger.warn(`a replica connection broke: ${error.message}`)));
    this.current = { inUse: false, state: 'not measured yet', lagSeconds: null, maxLagSeconds: config.maxLagSeconds };
  }

  get status(): ReplicaStatus {
    return this.current;
  }

  /** Measures once (so the first requests already know), then every PROBE_INTERVAL_MS. */
  async start(): Promise<void> {
    await this.probe();
    this.timer = setInterval(() => void this.probe(), PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.pool.end();
  }

  /** A read on the replica failed as a replica fails (gone, or cancelled by replay): leave it until the next probe. */
  markUnreachable(error: unknown): void {
    this.update({ inUse: false, state: 'unreachable', lagSeconds: null, maxLagSeconds: this.config.maxLagSeconds }, (error as Error).message);
  }

  private async probe(): Promise<void> {
    try {
      // The primary's position first: a replica that has replayed up to it was at most the probe's time behind.
      const [{ lsn }] = (await this.primary.query('SELECT pg_current_wal_lsn()::text AS lsn')) as { lsn: string }[];
      const { rows } = await this.pool.query<{ standby: boolean; replayed: string | null; idle_seconds: number | null }>(
        `SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed,
                extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS idle_seconds`,
      );
      const { standby, replayed, idle_seconds } = rows[0]!;
      if (!standby) {
        this.update({ inUse: false, state: 'not a standby', lagSeconds: null, maxLagSeconds: this.config.maxLagSeconds });
        return;
      }
      const caughtUp = replayed !== null && lsnValue(replayed) >= lsnValue(lsn);
      const lagSeconds = caughtUp ? 0 : Math.max(0, idle_seconds ?? Number.POSITIVE_INFINITY);
      const inUse = lagSeconds <= this.config.maxLagSeconds;
      this.update({ inUse, state: inUse ? 'in use' : 'lagging', lagSeconds: Number.isFinite(lagSeconds) ? lagSeconds : null, maxLagSeconds: this.config.maxLagSeconds });
    } catch (error) {
      this.markUnreachable(error);
    }
  }

  private update(next: ReplicaStatus, reason?: string): void {
    const previous = this.current;
    this.current = next;
    if (previous.state === next.state) return;
    if (next.inUse) this.logger.log(`read replica in use (${next.lagSeconds ?? 0} s behind): metric reads go there`);
    else if (next.state === 'lagging') this.logger.warn(`read replica ${next.lagSeconds ?? '?'} s behind (more than ${next.maxLagSeconds} s): metric reads on the primary`);
    else this.logger.warn(`read replica ${next.state}${reason ? ` (${reason})` : ''}: metric reads on the primary`);
  }
}

/** A WAL position `X/Y` as one number, to compare positions of two servers. */
function lsnValue(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}
