import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { uuidv7 } from 'uuidv7';
import { requestContext } from './logging.js';

/** What an audit event records of the request that caused it. */
export interface RequestContext {
  requestId: string;
  ip: string | undefined;
}

declare module 'express' {
  interface Request {
    requestId?: string;
  }
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (the caller's `X-Request-Id` when it is a sane one), returns it in the
 * response, and runs the rest of the request in its context, so that every log line carries it.
 */
export function assignRequestId(request: Request, response: Response, next: NextFunction): void {
  const incoming = request.header('x-request-id');
  const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : uuidv7();
  request.requestId = requestId;
  response.setHeader('X-Request-Id', requestId);
  requestContext.run({ requestId }, next);
}

export const RequestMeta = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<Request>();
  return { requestId: request.requestId ?? uuidv7(), ip: request.ip ?? request.socket.remoteAddress };
});
