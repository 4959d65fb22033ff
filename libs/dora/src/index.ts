// The HTTP contract between the API and the SPA: response types, scopes, bands, error codes. The
// reference metrics, for tests and benchmarks only, are the separate entry point `@dora/domain/reference`.
export * from './api-error.js';
export * from './auth.js';
export * from './badges.js';
export * from './bands.js';
export * from './definitions.js';
export * from './deployments.js';
export * from './forgejo-owners.js';
export * from './glob.js';
export * from './metrics.js';
export * from './scopes.js';
export * from './service-status.js';
export * from './teams.js';
