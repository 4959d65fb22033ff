// Shared by every jest project of the workspace: TypeScript through SWC, in native ESM (NestJS 12 is ESM-only).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          // Without these two, ValidationPipe silently validates nothing and DI by type fails.
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'es6' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper: {
    '^@dora/domain$': '<rootDir>/../../libs/dora/src/index.ts',
    '^@dora/domain/reference$': '<rootDir>/../../libs/dora/src/reference.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
