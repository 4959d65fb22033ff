export * from './api-error.js';
export * from './deployments.js';
export * from './scopes.js';
export * from './service-status.js';
