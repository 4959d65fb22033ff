export * from './api-error.js';
export * from './auth.js';
export * from './bands.js';
export * from './deployments.js';
export * from './metrics.js';
export * from './reference.js';
export * from './scopes.js';
export * from './service-status.js';
