import { Injectable } from '@nestjs/common';
import type { Org } from '../../access/principals.js';
import { Telemetry } from '../observability/telemetry.js';
import { MetricsService } from './metrics.service.js';
import { exposition } from './prometheus.js';

/** How long an org's numbers are kept for scrapers: scrapes every 15 s cost one computation a minute. */
const KEEP_MS = 60_000;

/**
 * `GET /api/v1/orgs/{slug}/dora/metrics` (DESIGN §4, "In Prometheus"): the org's numbers in Prometheus'
 * text format, computed once and kept a minute per org and process; scrapes that arrive meanwhile (also
 * while it is computed) get the same text. A change of the org's settings is seen at the next scrape.
 */
@Injectable()
export class OrgExposition {
  private readonly kept = new Map<string, { version: number; until: number; text: Promise<string> }>();

  constructor(
    private readonly metrics: MetricsService,
    private readonly telemetry: Telemetry,
  ) {}

  text(org: Org): Promise<string> {
    const now = Date.now();
    const kept = this.kept.get(org.id);
    if (kept && kept.version === org.config_version && kept.until > now) return kept.text;
    const text = this.compute(org);
    this.kept.set(org.id, { version: org.config_version, until: now + KEEP_MS, text });
    // A failure is not kept: the next scrape tries again.
    text.catch(() => this.kept.get(org.id)?.text === text && this.kept.delete(org.id));
    return text;
  }

  private async compute(org: Org): Promise<string> {
    this.telemetry.expositionsComputed.inc();
    return exposition(org.window_days, await this.metrics.exposedMetrics(org));
  }
}
