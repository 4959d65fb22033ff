import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { uuidv7 } from 'uuidv7';

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

/** Gives every request an id (the caller's `X-Request-Id` when it is a sane one) and returns it in the response. */
export function assignRequestId(request: Request, response: Response, next: NextFunction): void {
  const incoming = request.header('x-request-id');
  request.requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : uuidv7();
  response.setHeader('X-Request-Id', request.requestId);
  next();
}

export const RequestMeta = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<Request>();
  return { requestId: request.requestId ?? uuidv7(), ip: request.ip ?? request.socket.remoteAddress };
});
