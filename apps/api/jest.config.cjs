/** Run with NODE_OPTIONS=--experimental-vm-modules (the `api:test` target does). */
module.exports = async () => {
  const { default: preset } = await import('../../jest.preset.js');
  return {
    ...preset,
    displayName: 'api',
    rootDir: __dirname,
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    // One real database for the whole run: DATABASE_URL when set, else the embedded default.
    globalSetup: '<rootDir>/test/support/global-setup.mjs',
    globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    testTimeout: 30_000,
  };
};
