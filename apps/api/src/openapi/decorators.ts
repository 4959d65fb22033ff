import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';
import type { SchemaName } from './schemas.js';

const ERRORS: Record<number, string> = {
  400: 'Invalid request: `validation_failed` (one detail per field) or `invalid_json`',
  401: 'No, unknown, revoked or expired credentials',
  403: 'The credentials lack the scope (or role) this needs',
  404: 'No such org among the caller’s (another org’s slug answers the same), or no such item',
  409: 'Conflicts with what exists',
  413: 'Body over the limit',
  415: 'Body not sent as application/json',
  429: 'Rate limited; Retry-After says when to retry',
  503: 'The database (or what is needed) is not reachable now',
};

/** A reference to a response schema generated from the contract (libs/dora): a misspelt name does not compile. */
export function schemaRef(name: SchemaName): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

/** The error answers a route may give, all with the `{ error: { code, message, details? } }` body (`ApiErrorBody`). */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: ERRORS[status], schema: schemaRef('ApiErrorBody') })));
}

/** A JSON answer of a response schema, named as its contract type. */
export function ApiAnswer(status: number, schema: SchemaName, description = 'OK') {
  return ApiResponse({ status, description, schema: schemaRef(schema) });
}

/** A CSV download (RFC 4180, UTF-8, a header row of the JSON field names, nested ones by their dotted path). */
export function ApiCsv() {
  return ApiResponse({ status: 200, description: 'CSV, one row per item', content: { 'text/csv': { schema: { type: 'string' } } } });
}

/** Prometheus' text exposition format 0.0.4. */
export function ApiPrometheusText() {
  return ApiResponse({ status: 200, description: "Prometheus' text format, version 0.0.4: gauges", content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } } });
}

/** A route under /orgs/{slug}: a member's session or an org token with the scope. */
export function ApiOrgRoute(summary: string, scope: 'dora:read' | 'dora:admin') {
  const who = scope === 'dora:admin' ? 'an admin' : 'a member (viewer or admin)';
  return applyDecorators(
    ApiOperation({ summary, description: `Needs an API token of the org with \`${scope}\`, or the session of ${who} of the org (changes also need X-CSRF-Token).` }),
    ApiParam({ name: 'slug', description: 'The org', schema: { type: 'string' } }),
    ApiBearerAuth('token'),
    ApiCookieAuth('session'),
    ApiErrors(401, 403, 404),
  );
}
