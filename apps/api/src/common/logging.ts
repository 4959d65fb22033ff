import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import type { RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';

/** The request a line of log belongs to, wherever in the request's async work it is written. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** Secrets never reach the logs: headers are not logged at all, and these paths are redacted besides. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["x-forgejo-signature"]',
  'req.headers["x-gitea-signature"]',
  'req.headers["x-gogs-signature"]',
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
  'res.headers["set-cookie"]',
  'password',
  'secret',
  'token',
];

/** JSON lines on stdout, one object per event, with the request id when there is a request. */
export function createRootLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'dora' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const context = requestContext.getStore();
      return context ? { request_id: context.requestId } : {};
    },
  });
}

/** One line per finished request (not for health checks and scrapes), without headers or bodies. */
export function httpLogger(root: Logger): RequestHandler {
  return pinoHttp({
    logger: root,
    genReqId: (request) => (request as { requestId?: string }).requestId ?? 'unknown',
    autoLogging: { ignore: (request) => ['/healthz', '/readyz', '/metrics'].includes(request.url ?? '') },
    serializers: {
      req: (request: { method: string; url: string; remoteAddress?: string }) => ({ method: request.method, url: request.url, remote_address: request.remoteAddress }),
      res: (response: { statusCode: number }) => ({ status: response.statusCode }),
    },
    customSuccessMessage: (request, response, ms) => `${request.method} ${request.url} ${response.statusCode} ${Math.round(ms)} ms`,
    customErrorMessage: (request, response) => `${request.method} ${request.url} ${response.statusCode}`,
  }) as unknown as RequestHandler;
}

/** Nest's logger interface over pino, so that Nest's own lines and ours are JSON too. */
export class JsonLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  log(message: unknown, context?: string): void {
    this.root.info(fields(context), text(message));
  }
  error(message: unknown, ...rest: unknown[]): void {
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined;
    const stack = typeof rest[0] === 'string' && rest.length > 1 ? rest[0] : undefined;
    this.root.error({ ...fields(context), ...(stack ? { stack } : {}) }, text(message));
  }
  warn(message: unknown, context?: string): void {
    this.root.warn(fields(context), text(message));
  }
  debug(message: unknown, context?: string): void {
    this.root.debug(fields(context), text(message));
  }
  verbose(message: unknown, context?: string): void {
    this.root.trace(fields(context), text(message));
  }
}

function fields(context: string | undefined): object {
  return context ? { context } : {};
}

function text(message: unknown): string {
  return typeof message === 'string' ? message : message instanceof Error ? (message.stack ?? message.message) : JSON.stringify(message);
}
