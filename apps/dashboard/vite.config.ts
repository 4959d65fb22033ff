/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // Shared types and functions straight from libs/dora's sources.
  resolve: { conditions: ['@dora/source', ...defaultClientConditions] },
  // The manifest lets tools/bench/dashboard weigh what a route loads.
  build: { outDir: 'dist', emptyOutDir: true, manifest: true },
  server: { proxy: { '/api': 'http://localhost:3000' } },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    testTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: '../../test-results/dashboard.json' },
  },
});
