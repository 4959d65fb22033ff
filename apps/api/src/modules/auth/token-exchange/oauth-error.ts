import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { OAuthErrorCode } from '@dora/domain';
import { DomainError } from '../../../common/errors.js';
import { isConnectionFailure } from '../../../database/postgres-errors.js';


/** An error of the token endpoint, in OAuth's terms (RFC 6749 §5.2, RFC 8693 §2.2.2). */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status = 400,
    /** Seconds, for 429 and 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(description);
  }
}

/** The token endpoint answers errors as `{ error, error_description }`, not with the service's error body. */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('TokenExchange');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = this.toOAuth(exception);
    response.setHeader('Cache-Control', 'no-store');
    if (error.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(error.retryAfterSeconds));
    response.status(error.status).json({ error: error.error, error_description: error.description });
  }

  private toOAuth(exception: unknown): OAuthError {
    if (exception instanceof OAuthError) return exception;
    if (exception instanceof DomainError && exception.code === 'rate_limited') {
      return new OAuthError('temporarily_unavailable', exception.message, 429, exception.retryAfterSeconds);
    }
    if (isConnectionFailure(exception)) {
      return new OAuthError('temporarily_unavailable', 'The database is not reachable or too busy now; retry shortly', 503, 2);
    }
    // Malformed bodies (not JSON or form, too large, missing fields) are invalid requests.
    if (exception instanceof DomainError && exception.code !== 'internal' && exception.code !== 'database_unavailable') {
      return new OAuthError('invalid_request', exception.message);
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return new OAuthError('server_error', 'The token could not be issued; try again', 500);
  }
}
