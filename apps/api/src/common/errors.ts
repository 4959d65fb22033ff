import type { ApiErrorCode, ApiErrorDetail } from '@dora/domain';

/** Every way a request can fail that the caller should know about (the contract's codes); the error filter maps each to a status. */
export type ErrorCode = ApiErrorCode;

/** A failure a service reports with a code; never built as an HTTP exception in the services. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ApiErrorDetail[],
    /** Seconds to wait, for `rate_limited` and `overloaded`. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'validation_failed':
    case 'invalid_json':
      return 400;
    case 'unauthenticated':
    case 'invalid_signature':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'rate_limited':
      return 429;
    case 'internal':
      return 500;
    case 'database_unavailable':
    case 'overloaded':
    case 'not_configured':
      return 503;
  }
}
