/** Run with NODE_OPTIONS=--experimental-vm-modules (the `dora:test` target does). */
module.exports = async () => {
  const { default: preset } = await import('../../jest.preset.js');
  return { ...preset, displayName: 'dora', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
};
