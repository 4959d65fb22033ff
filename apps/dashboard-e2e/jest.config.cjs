/** The dashboard in Debian's Chromium against the real API and database. Run with NODE_OPTIONS=--experimental-vm-modules. */
module.exports = async () => {
  const { default: preset } = await import('../../jest.preset.js');
  return {
    ...preset,
    displayName: 'dashboard-e2e',
    rootDir: __dirname,
    testMatch: ['<rootDir>/src/**/*.e2e.ts'],
    // A deadline, not a pace: the first start seeds the demo org, and other suites may be busy on the same cores.
    testTimeout: 300_000,
  };
};
