/** The part of OpenAPI 3.0's schema object these schemas use. */
export interface SchemaObject {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  description?: string;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: boolean | SchemaObject;
  items?: SchemaObject;
}

/**
 * The response bodies of the API as OpenAPI schemas (the TypeScript types in libs/dora say the same
 * for the SPA; a test checks real answers against these).
 */
const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const string: SchemaObject = { type: 'string' };
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
const uuid: SchemaObject = { type: 'string', format: 'uuid' };
const integer: SchemaObject = { type: 'integer' };
const number: SchemaObject = { type: 'number' };
const boolean: SchemaObject = { type: 'boolean' };
const band: SchemaObject = { type: 'string', enum: ['elite', 'high', 'medium', 'low', null], nullable: true, description: 'null: not enough data' };
const object = (properties: Record<string, SchemaObject>, description?: string): SchemaObject => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
  ...(description ? { description } : {}),
});
const page = (item: string): SchemaObject => object({ items: { type: 'array', items: ref(item) }, next_cursor: nullable(string) });

const metrics = {
  deployment_frequency: object({ value: number, successes: integer, band: { type: 'string', enum: ['elite', 'high', 'medium', 'low'] } }, 'Successful deploys a day'),
  lead_time: object(
    { p50_seconds: nullable(number), p95_seconds: nullable(number), sample: integer, without_commit: integer, excluded_negative: integer, band },
    'deployed_at − committed_at over successful deploys with commit data',
  ),
  change_failure_rate: object({ value: nullable(number), failed: integer, total: integer, band }, 'Failed or rework deploys over all deploys, a fraction'),
  time_to_restore: object(
    { median_seconds: nullable(number), restored: integer, open: integer, oldest_open_seconds: nullable(number), band },
    'Median time from a failure to the next success of its repo and environment',
  ),
  rework_rate: object({ value: nullable(number), rework: integer, total: integer, band: { type: 'string', nullable: true, enum: [null] } }, 'No DORA band'),
};
const metricsWindow = object({ days: integer, from: dateTime, to: dateTime });
const deployment = object({
  id: uuid,
  repo_full_name: string,
  environment: string,
  deployed_at: dateTime,
  commit_sha: nullable(string),
  committed_at: nullable(dateTime),
  success: boolean,
  is_rework: boolean,
  external_ref: nullable(string),
  source: { type: 'string', enum: ['api', 'forgejo'] },
  ingested_by: object({ type: { type: 'string', enum: ['token', 'webhook'] }, id: nullable(string), name: nullable(string) }),
  created_at: dateTime,
});
const auditEvent = object({
  id: uuid,
  occurred_at: dateTime,
  action: string,
  actor: object({ type: { type: 'string', enum: ['token', 'user', 'webhook', 'system'] }, id: nullable(string) }),
  subject: object({ type: nullable(string), id: nullable(string) }),
  request_id: nullable(string),
  ip: nullable(string),
  metadata: { type: 'object', additionalProperties: true },
});
const token = object({
  id: uuid,
  name: string,
  prefix: string,
  scopes: { type: 'array', items: string },
  origin: { type: 'string', enum: ['minted', 'exchanged'] },
  created_by: nullable(object({ id: uuid, email: nullable(string) })),
  issuer: nullable(string),
  subject: nullable(string),
  expires_at: nullable(dateTime),
  last_used_at: nullable(dateTime),
  revoked_at: nullable(dateTime),
  created_at: dateTime,
  exceeds_policy: boolean,
  stops_at: nullable(dateTime),
  expires_soon: boolean,
  replaced_by: nullable(uuid),
});
const pointMetrics = {
  deployment_frequency: object({ value: number, successes: integer }),
  lead_time: object({ p50_seconds: nullable(number), p95_seconds: nullable(number), sample: integer }),
  change_failure_rate: object({ value: nullable(number), failed: integer, total: integer }),
  time_to_restore: object({ median_seconds: nullable(number), restored: integer, open: integer }),
  rework_rate: object({ value: nullable(number), rework: integer, total: integer }),
};

export const SCHEMAS: Record<string, SchemaObject> = {
  Error: object({
    error: { type: 'object', required: ['code', 'message'], additionalProperties: false, properties: { code: string, message: string, details: { type: 'array', items: object({ field: string, message: string }) } } },
  }),
  OAuthError: object({
    error: { type: 'string', enum: ['invalid_request', 'invalid_grant', 'invalid_scope', 'invalid_target', 'unsupported_grant_type', 'temporarily_unavailable', 'server_error'] },
    error_description: string,
  }),
  IngestedDeployment: object({ id: uuid, tenant_id: uuid, repo_full_name: string, environment: string, deployed_at: dateTime, deduped: boolean }),
  DoraSummary: object({
    org: string,
    environment: string,
    repo: nullable(string),
    band_set: { type: 'string', enum: ['dora-2023'] },
    window: metricsWindow,
    ...metrics,
    previous: object({ window: metricsWindow, ...metrics }, 'The same question at as_of − window'),
  }),
  DoraSeries: object({
    org: string,
    environment: string,
    repo: nullable(string),
    timezone: string,
    points: { type: 'array', items: object({ date: { type: 'string', format: 'date' }, from: dateTime, to: dateTime, ...pointMetrics }) },
  }),
  RepoMetrics: object({ repo_full_name: string, ...metrics }),
  RepoPage: page('RepoMetrics'),
  Deployment: deployment,
  DeploymentPage: page('Deployment'),
  DeploymentDetail: object({ ...deployment.properties, audit_events: { type: 'array', items: ref('AuditEvent') } }),
  EnvironmentList: object({ items: { type: 'array', items: object({ environment: string, deployments: integer, last_deployed_at: dateTime }) } }),
  AuditEvent: auditEvent,
  AuditPage: page('AuditEvent'),
  DoraSettings: object({ window_days: { type: 'integer', enum: [7, 30, 90] }, timezone: string, max_token_lifetime_days: nullable(integer) }),
  Me: object({
    user: object({ id: uuid, email: string }),
    orgs: { type: 'array', items: object({ slug: string, name: string, role: { type: 'string', enum: ['admin', 'viewer'] } }) },
    csrf_token: string,
  }),
  ApiToken: token,
  ApiTokenList: object({ items: { type: 'array', items: ref('ApiToken') } }),
  MintedToken: object({ token: ref('ApiToken'), secret: { type: 'string', description: 'ffp_…: shown this once' } }),
  RotatedToken: object({ token: ref('ApiToken'), secret: { type: 'string', description: 'ffp_…: shown this once' }, previous: ref('ApiToken') }),
  RevokedToken: object({ id: uuid, revoked_at: dateTime }),
  IdentityProvider: object({
    id: uuid,
    issuer: string,
    jwks_uri: nullable(string),
    inline_jwks: boolean,
    audience: string,
    required_claims: { type: 'object', additionalProperties: { type: 'string' } },
    allowed_scopes: { type: 'array', items: string },
    max_ttl_seconds: integer,
    allow_any_subject: boolean,
    created_at: dateTime,
  }),
  IdentityProviderList: object({ items: { type: 'array', items: ref('IdentityProvider') } }),
  TokenExchangeResponse: object({
    access_token: string,
    issued_token_type: { type: 'string', enum: ['urn:ietf:params:oauth:token-type:access_token'] },
    token_type: { type: 'string', enum: ['Bearer'] },
    expires_in: integer,
    scope: string,
  }),
  Delivery: object({
    id: uuid,
    delivery_id: nullable(string),
    event: string,
    action: nullable(string),
    status: { type: 'string', enum: ['pending', 'processed', 'skipped', 'failed'] },
    attempts: integer,
    next_attempt_at: nullable(dateTime),
    last_error: nullable(string),
    deployment_id: nullable(uuid),
    received_at: dateTime,
    processed_at: nullable(dateTime),
  }),
  DeliveryPage: page('Delivery'),
  ForgejoOwner: object({ owner: string, created_at: dateTime }),
  ForgejoOwnerList: object({ items: { type: 'array', items: ref('ForgejoOwner') } }),
  DeliveryReceipt: object({ id: uuid, status: { type: 'string', enum: ['pending', 'processed', 'skipped', 'failed'] } }),
  ServiceStatus: {
    ...object({
      status: { type: 'string', enum: ['ok'] },
      version: string,
      database: { type: 'string', enum: ['postgresql', 'embedded'] },
      orgs: { type: 'array', items: object({ slug: string, name: string }), description: 'Only with PUBLIC_ORG_DIRECTORY=true' },
    }),
    required: ['status', 'version', 'database'],
  },
  Health: object({ status: string }),
};
