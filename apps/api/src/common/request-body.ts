import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { DomainError } from './errors.js';
import { isStorableText, unsafeJson } from './safe-input.js';

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
    if ((request as { _body?: boolean })._body) return next(); // already parsed under a route's own limit (ingest)
    const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
    if (hasBody && !JSON_TYPE.test(request.headers['content-type'] ?? '')) {
      next(new DomainError('unsupported_media_type', 'Request body must be JSON (Content-Type: application/json)'));
      return;
    }
    parse(request, response, (error?: unknown) => {
      if (error !== undefined) return next(fromBodyParser(error, limitBytes));
      const unsafe = unsafeJson(request.body);
      next(unsafe ? new DomainError('validation_failed', `Invalid request: ${unsafe.field} ${unsafe.message}`, [unsafe]) : undefined);
    });
  };
}

const NDJSON_TYPE = /^application\/x-ndjson\s*(;|$)/i;

/**
 * A batch body: newline-delimited JSON (`Content-Type: application/x-ndjson`) of at most `limitBytes`,
 * read as its bytes (a Buffer) for the endpoint to split; anything else is a 415, a larger body a 413.
 */
export function ndjsonBody(limitBytes: number): RequestHandler {
  const read = express.raw({ type: () => true, limit: limitBytes });
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'POST') return next();
    if (!NDJSON_TYPE.test(request.headers['content-type'] ?? '')) {
      return next(new DomainError('unsupported_media_type', 'A batch must be newline-delimited JSON (Content-Type: application/x-ndjson)'));
    }
    read(request, response, (error?: unknown) => {
      if (!Buffer.isBuffer(request.body)) request.body = Buffer.alloc(0);
      next(error === undefined ? undefined : fromBodyParser(error, limitBytes));
    });
  };
}

/**
 * Query strings and path parameters reach SQL as text: one the database cannot store (NUL, a lone
 * surrogate, broken percent-encoding) is a 400 here, not a database error later.
 */
export function safeQueryAndPath(request: Request, _response: Response, next: NextFunction): void {
  let path: string;
  try {
    path = decodeURIComponent(request.path);
  } catch {
    return next(new DomainError('validation_failed', 'The path is not valid percent-encoded UTF-8'));
  }
  if (!isStorableText(path)) return next(new DomainError('validation_failed', 'The path must not contain NUL characters or unpaired surrogates'));
  // Express 5 parses queries flat (strings and arrays of strings); unknown parameters are ignored, not refused.
  for (const [name, value] of Object.entries(request.query)) {
    const texts = [name, ...(Array.isArray(value) ? value : [value])].filter((text): text is string => typeof text === 'string');
    if (!texts.every(isStorableText)) {
      const detail = { field: isStorableText(name) ? name : '(query)', message: 'must not contain NUL characters or unpaired surrogates' };
      return next(new DomainError('validation_failed', `Invalid request: ${detail.field} ${detail.message}`, [detail]));
    }
  }
  next();
}

declare module 'express' {
  interface Request {
    /** Why the body could not be read, for an endpoint that answers it in its own terms (`deferErrors`). */
    bodyError?: unknown;
  }
}

/**
 * The body as its exact bytes (a Buffer, empty when there is none), for signatures computed over them.
 * With `deferErrors`, a body that cannot be read (too large) is left to the endpoint, which says so in
 * its own terms (the OAuth token endpoint's errors are OAuth's).
 */
export function rawBody(limitBytes: number, { deferErrors = false } = {}): RequestHandler {
  const read = express.raw({ type: () => true, limit: limitBytes });
  return (request: Request, response: Response, next: NextFunction) =>
    read(request, response, (error?: unknown) => {
      if (!Buffer.isBuffer(request.body)) request.body = Buffer.alloc(0);
      if (error === undefined) return next();
      if (!deferErrors) return next(fromBodyParser(error, limitBytes));
      request.bodyError = fromBodyParser(error, limitBytes);
      next();
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
