/** The dashboard in Debian's Chromium against the real API and database. Run with NODE_OPTIONS=--experimental-vm-modules. */
module.exports = async () => {
  const { default: preset } = await import('../../jest.preset.js');
  return { ...preset, displayName: 'dashboard-e2e', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.e2e.ts'], testTimeout: 90_000 };
};
