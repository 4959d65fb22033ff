import 'reflect-metadata';
import { type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { ErrorFilter } from './common/error.filter.js';
import { jsonBody, rawBody } from './common/request-body.js';
import { assignRequestId } from './common/request-context.js';
import { RequestValidationPipe } from './common/validation.js';
import type { AppConfig } from './config/config.js';
import type { OpenDatabase } from './database/open-database.js';

export const BODY_LIMIT_BYTES = 64 * 1024;
/** Forgejo release payloads carry the release notes and the whole repository: room for long notes. */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

/** The HTTP application, the same for the server and the tests. */
export async function createApp(
  config: AppConfig,
  database: OpenDatabase,
  logger: LogLevel[] | false = ['log', 'warn', 'error'],
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, database), {
    bodyParser: false,
    logger,
  });
  app.disable('x-powered-by');
  app.use(assignRequestId);
  app.use('/api/v1/webhooks', rawBody(WEBHOOK_BODY_LIMIT_BYTES));
  app.use('/api/v1/auth/token-exchange', rawBody(BODY_LIMIT_BYTES)); // parsed by the endpoint, so its errors stay OAuth's
  app.use('/api', jsonBody(BODY_LIMIT_BYTES));
  app.useGlobalPipes(new RequestValidationPipe());
  app.useGlobalFilters(new ErrorFilter());
  return app;
}
