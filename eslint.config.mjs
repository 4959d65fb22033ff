// Lint for bugs, not taste (../shared/CONVENTIONS.md beside the checkout): floating promises,
// exhaustive switches, ===, type-only imports kept apart, no focused or skipped tests committed — and
// the architecture's boundaries (docs/DESIGN.md §2): which project and which API folder may import which.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import apiBoundaries from './tools/eslint/api-boundaries.mjs';

/** apps/api/src's floor: what every module may use, and which imports no module. */
const FLOOR = ['common', 'config', 'database', 'openapi', 'access'];
const floor = 'the floor (common, config, database, openapi, access) imports no module';
/**
 * apps/api/src: each folder, and the folders it may import besides itself and the contract (@dora/domain).
 * main.ts, app.module.ts, cli/ and demo/ put the modules together and may import anything.
 */
const API_BOUNDARIES = {
  common: { may: FLOOR, why: floor },
  config: { may: FLOOR, why: floor },
  database: { may: FLOOR, why: floor },
  openapi: { may: FLOOR, why: floor },
  access: { may: FLOOR, why: `${floor}; modules provide what the guard needs (Credentials, OrgLookup)` },
  'modules/audit': { may: FLOOR, why: 'the audit log is a sink: every module writes to it, it imports no module' },
  'modules/observability': { may: FLOOR, why: 'telemetry is a sink: every module counts into it, it imports no module' },
  'modules/tenancy': { may: [...FLOOR, 'modules/audit'], why: 'tenancy owns orgs and settings; it may audit, nothing more' },
  'modules/auth': { may: [...FLOOR, 'modules/audit'], why: 'auth owns users, sessions and tokens; it may audit, nothing more' },
  'modules/teams': { may: [...FLOOR, 'modules/audit'], why: 'teams owns teams, their rules and the attribution; it may audit, nothing more' },
  'modules/ingest': { may: [...FLOOR, 'modules/audit', 'modules/observability', 'modules/teams'], why: 'ingest attributes with teams and never imports webhook (webhook imports ingest)' },
  'modules/webhook': { may: [...FLOOR, 'modules/audit', 'modules/observability', 'modules/ingest'], why: 'webhook may use ingest and audit' },
  'modules/metrics': { may: [...FLOOR, 'modules/audit', 'modules/observability', 'modules/teams'], why: 'reads never write: metrics imports neither ingest nor webhook' },
  'modules/health': { may: [...FLOOR, 'modules/tenancy'], why: 'health reads the database and the orgs, nothing else' },
};

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/out-tsc/**', '**/node_modules/**', '**/.nx/**', 'test-results/**', '.data/**', 'tmp/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['apps/api/src/**/*.ts'],
    plugins: { api: apiBoundaries },
    rules: { 'api/boundaries': ['error', { src: 'apps/api/src', rules: API_BOUNDARIES }] },
  },
  {
    files: ['apps/api/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@dora/domain/reference', message: 'The reference metrics are for tests and benchmarks: production code of the API never imports them.' }] }],
    },
  },
  {
    // Projects: apps and libs import only libs (Nx refuses imports of apps: the dashboard never imports apps/api).
    files: ['**/*.{ts,tsx}'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    rules: {
      eqeqeq: ['error', 'always'],
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'test'].flatMap((object) =>
          ['only', 'skip'].map((property) => ({ object, property, message: 'Committed tests must all run.' })),
        ),
      ],
    },
  },
);
