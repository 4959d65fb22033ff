import { Global, Module } from '@nestjs/common';
import { PrometheusController } from './prometheus.controller.js';
import { Telemetry } from './telemetry.js';

/** Prometheus metrics: every module may count what it does. */
@Global()
@Module({
  controllers: [PrometheusController],
  providers: [Telemetry],
  exports: [Telemetry],
})
export class ObservabilityModule {}
