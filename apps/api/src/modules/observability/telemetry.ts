import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { READ_REPLICA } from '../../database/database-tokens.js';
import type { ReadReplica } from '../../database/read-replica.js';

/** The pg pool under TypeORM's postgres driver. */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * The service's Prometheus metrics, in a registry of its own (one per application, so that tests may
 * run several): HTTP traffic, ingest and dedupe, webhook deliveries and retries, the database pool,
 * and the Node process.
 */
@Injectable()
export class Telemetry {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({ name: 'dora_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
  readonly httpDuration = new Histogram({
    name: 'dora_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly deploymentsIngested = new Counter({ name: 'dora_deployments_ingested_total', help: 'Deployments stored, by source', labelNames: ['source'], registers: [this.registry] });
  readonly dedupeHits = new Counter({ name: 'dora_ingest_dedupe_hits_total', help: 'Reports of a deployment that was already stored, by source', labelNames: ['source'], registers: [this.registry] });
  readonly webhookDeliveries = new Counter({
    name: 'dora_webhook_deliveries_total',
    help: 'Forgejo deliveries by outcome: received, rejected (bad signature), processed, skipped, failed',
    labelNames: ['status'],
    registers: [this.registry],
  });
  readonly webhookRetries = new Counter({ name: 'dora_webhook_retries_total', help: 'Delivery attempts that will be tried again (Forgejo could not answer)', registers: [this.registry] });
  readonly expositionsComputed = new Counter({
    name: 'dora_org_expositions_computed_total',
    help: "Orgs' DORA numbers computed for Prometheus scrapers (each kept for a minute)",
    registers: [this.registry],
  });

  constructor(dataSource: DataSource, @Inject(READ_REPLICA) replica: ReadReplica | null) {
    collectDefaultMetrics({ register: this.registry, prefix: 'dora_' });
    const pool = () => (dataSource.driver as unknown as { master?: PgPool }).master;
    new Gauge({
      name: 'dora_db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const master = pool();
        this.set({ state: 'total' }, master?.totalCount ?? 0);
        this.set({ state: 'idle' }, master?.idleCount ?? 0);
        this.set({ state: 'waiting' }, master?.waitingCount ?? 0);
      },
    });
    if (!replica) return;
    new Gauge({
      name: 'dora_db_replica_lag_seconds',
      help: 'How far the read replica is behind the primary (NaN when it cannot be measured)',
      registers: [this.registry],
      collect() {
        this.set(replica.status.lagSeconds ?? Number.NaN);
      },
    });
    new Gauge({
      name: 'dora_db_replica_in_use',
      help: 'Whether the metric reads go to the read replica (1) or to the primary (0)',
      registers: [this.registry],
      collect() {
        this.set(replica.status.inUse ? 1 : 0);
      },
    });
  }

  /** Counts and times every request by its route pattern (not its URL, which would not aggregate). */
  httpMiddleware(): RequestHandler {
    return (request: Request, response: Response, next: NextFunction) => {
      const stop = this.httpDuration.startTimer();
      response.on('finish', () => {
        const route = request.route?.path ? `${request.baseUrl}${String(request.route.path)}` : response.statusCode === 404 ? 'unmatched' : 'static';
        stop({ method: request.method, route });
        this.httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
      });
      next();
    };
  }
}
