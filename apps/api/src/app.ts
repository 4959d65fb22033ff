import 'reflect-metadata';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { ErrorFilter } from './common/error.filter.js';
import { httpLogger } from './common/logging.js';
import { jsonBody, ndjsonBody, rawBody, safeQueryAndPath } from './common/request-body.js';
import { assignRequestId } from './common/request-context.js';
import { RequestValidationPipe } from './common/validation.js';
import type { AppConfig } from './config/config.js';
import type { OpenDatabase } from './database/open-database.js';
import { Telemetry } from './modules/observability/telemetry.js';
import { serveApiDocs } from './openapi/document.js';

export const BODY_LIMIT_BYTES = 64 * 1024;
/** A deployment with a change set of 1,000 commits (64-character shas, timestamps with nanoseconds and an offset) fits. */
export const INGEST_BODY_LIMIT_BYTES = 256 * 1024;
/** A batch of history: up to 10,000 lines (DESIGN §5). */
export const BATCH_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
/** Forgejo release payloads carry the release notes and the whole repository: room for long notes. */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

/** The HTTP application, the same for the server and the tests (which log nothing). */
export async function createApp(
  config: AppConfig,
  database: OpenDatabase,
  logging?: { logger: LoggerService; root: Logger },
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, database), {
    bodyParser: false,
    logger: logging?.logger ?? false,
    // Failures reach the caller, which says plainly what went wrong (Nest would exit on its own).
    abortOnError: false,
  });
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(assignRequestId);
  if (logging) app.use(httpLogger(logging.root));
  app.use(app.get(Telemetry).httpMiddleware());
  app.use(
    helmet({
      // The SPA is this origin's own scripts; recharts and the API docs need inline styles.
      contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } },
      hsts: config.publicUrl?.startsWith('https:') ?? false,
    }),
  );
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins, credentials: true, exposedHeaders: ['X-Request-Id', 'Data-As-Of'] });
  app.use('/api/v1/webhooks', rawBody(WEBHOOK_BODY_LIMIT_BYTES));
  app.use('/api/v1/auth/token-exchange', rawBody(BODY_LIMIT_BYTES, { deferErrors: true })); // parsed by the endpoint, so its errors stay OAuth's
  app.use('/api/v1/dora/deployments/batch', ndjsonBody(BATCH_BODY_LIMIT_BYTES));
  app.use('/api/v1/dora/deployments', jsonBody(INGEST_BODY_LIMIT_BYTES));
  app.use('/api', safeQueryAndPath, jsonBody(BODY_LIMIT_BYTES));
  app.useGlobalPipes(new RequestValidationPipe());
  app.useGlobalFilters(new ErrorFilter());
  serveApiDocs(app);
  return app;
}
