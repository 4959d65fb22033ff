import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ApiErrorBody } from '@dora/domain';
import type { Response } from 'express';
import { isConnectionFailure, isDiskFull } from '../database/postgres-errors.js';
import { DomainError, type ErrorCode, httpStatusOf } from './errors.js';

/** A database away or busy is usually back within seconds (a restart, a failover, a long lock). */
const DATABASE_RETRY_AFTER_SECONDS = 2;

/** Maps every error to a status and the one JSON error body `{ error: { code, message, details? } }`. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = this.toDomainError(exception);
    const status = httpStatusOf(error.code);
    if (error.code === 'unauthenticated') {
      response.setHeader('WWW-Authenticate', `Bearer realm="dora", error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`);
    }
    if (error.retryAfterSeconds !== undefined) {
      response.setHeader('Retry-After', String(error.retryAfterSeconds));
    }
    const body: ApiErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details?.length) body.error.details = error.details;
    response.status(status).json(body);
  }

  private toDomainError(exception: unknown): DomainError {
    if (exception instanceof DomainError) return exception;
    if (exception instanceof HttpException) return fromHttpException(exception);
    if (isDiskFull(exception)) {
      this.logger.error(`the database is out of disk space: ${String(exception)}`);
      return new DomainError('database_unavailable', 'The database is out of disk space: nothing was stored; retry later', undefined, DATABASE_RETRY_AFTER_SECONDS);
    }
    if (isConnectionFailure(exception)) {
      this.logger.warn(`database unreachable: ${String(exception)}`);
      return new DomainError('database_unavailable', 'The database is not reachable or too busy now; retry shortly', undefined, DATABASE_RETRY_AFTER_SECONDS);
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return new DomainError('internal', 'Internal server error');
  }
}

function fromHttpException(exception: HttpException): DomainError {
  const status = exception.getStatus();
  const codes: Record<number, ErrorCode> = {
    400: 'validation_failed',
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'not_found',
    409: 'conflict',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    429: 'rate_limited',
    503: 'database_unavailable',
  };
  return new DomainError(codes[status] ?? 'internal', status === 404 ? 'No such endpoint' : exception.message);
}
