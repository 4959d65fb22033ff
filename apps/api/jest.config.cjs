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
    // A deadline for a stuck test, not a pace: tests wait for conditions, and on a busy 2-core machine
    // a real server's first start (seeding the demo org) alone can take a minute.
    testTimeout: 120_000,
  };
};
