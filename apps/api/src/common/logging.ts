import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import type { RequestHandler } from 'express';
import pino, { type Logger } from 'pino';

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

/**
 * Stdout, written asynchronously: with synchronous writes a slow log reader (a full pipe) would stall
 * every request. What is still buffered at exit goes out in flushLogs().
 */
let stdout: ReturnType<typeof pino.destination> | undefined;

/** Writes out what is still buffered; call before process.exit. */
export function flushLogs(): void {
  try {
    stdout?.flushSync();
  } catch {
    // Nothing buffered, or stdout is gone: nothing more to do.
  }
}

/** JSON lines on stdout, one object per event, with the request id when there is a request. */
export function createRootLogger(level: string): Logger {
  stdout ??= pino.destination({ dest: 1, sync: false });
  return pino(
    {
      level,
      base: { service: 'dora' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const context = requestContext.getStore();
        return context ? { request_id: context.requestId } : {};
      },
    },
    stdout,
  );
}

const UNLOGGED = new Set(['/healthz', '/readyz', '/metrics']);

/** Query parameters that carry secrets (a badge's key; tokens, codes and passwords some client put in a URL). */
const SECRET_PARAMETERS = /^(key|api_?key|token|access_token|id_token|refresh_token|subject_token|secret|password|code)$/i;

/** A request's URL as a log line shows it: the values of secret-bearing query parameters replaced. */
export function loggableUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const pairs = url.slice(at + 1).split('&').map((pair) => {
    const name = pair.split('=', 1)[0]!;
    let decoded: string;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      decoded = name;
    }
    return SECRET_PARAMETERS.test(decoded.trim()) ? `${name}=[redacted]` : pair;
  });
  return `${url.slice(0, at)}?${pairs.join('&')}`;
}

/** One line per finished (or aborted) request, not for health checks and scrapes, without headers, bodies or secrets in the URL. */
export function httpLogger(root: Logger): RequestHandler {
  return (request, response, next) => {
    if (UNLOGGED.has(request.path)) return next();
    const started = process.hrtime.bigint();
    const url = loggableUrl(request.originalUrl);
    const done = (aborted: boolean) => {
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
      const status = response.statusCode;
      const line = { req: { method: request.method, url, remote_address: request.ip }, res: { status }, response_time_ms: ms };
      if (aborted) root.warn(line, `${request.method} ${url} aborted by the client after ${ms} ms`);
      else if (status >= 500) root.error(line, `${request.method} ${url} ${status} ${ms} ms`);
      else root.info(line, `${request.method} ${url} ${status} ${ms} ms`);
    };
    response.once('finish', () => done(false));
    response.once('close', () => response.writableFinished || done(true));
    next();
  };
}

/** Nest's line per module and per route at every start: detail for debugging, not news. */
const BOOT_DETAIL = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Nest's logger interface over pino, so that Nest's own lines and ours are JSON too. */
export class JsonLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  log(message: unknown, context?: string): void {
    if (context !== undefined && BOOT_DETAIL.has(context)) this.root.debug(fields(context), text(message));
    else this.root.info(fields(context), text(message));
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
