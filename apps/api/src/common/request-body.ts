import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { DomainError } from './errors.js';

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Bodies sent to the API are JSON of at most `limitBytes`: anything else is a 415, a larger body a 413,
 * unparseable JSON a 400 — each with the service's error body. A body already read (the raw bytes of a
 * signed webhook) is left alone.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes });
  return (request: Request, response: Response, next: NextFunction) => {
    if (Buffer.isBuffer(request.body)) return next(); // already read as bytes (signed webhooks, the OAuth token endpoint)
    const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
    if (hasBody && !JSON_TYPE.test(request.headers['content-type'] ?? '')) {
      next(new DomainError('unsupported_media_type', 'Request body must be JSON (Content-Type: application/json)'));
      return;
    }
    parse(request, response, (error?: unknown) => next(error === undefined ? undefined : fromBodyParser(error, limitBytes)));
  };
}

/** The body as its exact bytes (a Buffer, empty when there is none), for signatures computed over them. */
export function rawBody(limitBytes: number): RequestHandler {
  const read = express.raw({ type: () => true, limit: limitBytes });
  return (request: Request, response: Response, next: NextFunction) =>
    read(request, response, (error?: unknown) => {
      if (error === undefined && !Buffer.isBuffer(request.body)) request.body = Buffer.alloc(0);
      next(error === undefined ? undefined : fromBodyParser(error, limitBytes));
    });
}

function fromBodyParser(error: unknown, limitBytes: number): unknown {
  switch ((error as { type?: unknown }).type) {
    case 'entity.too.large':
      return new DomainError('payload_too_large', `Request body is larger than ${limitBytes} bytes`);
    case 'entity.parse.failed':
      return new DomainError('invalid_json', `Request body is not valid JSON: ${(error as Error).message}`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new DomainError('unsupported_media_type', 'Request body must be UTF-8 encoded JSON');
    case 'request.aborted':
    case 'request.size.invalid':
      return new DomainError('validation_failed', 'Request body was incomplete');
    default:
      return error;
  }
}
