import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    // No test reaches the real FAL (test/support/no-real-fal.mjs).
    setupFiles: ['test/support/no-real-fal.setup.ts'],
    // The record of data folders that held a library (core/data-folder-record.ts), for this process and
    // the apps and CLIs it starts: never the user's own beside their real data folder.
    env: { IMAGE2MODEL_KNOWN_FOLDERS: resolve('test-results/known-data-folders.json') },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    server: { deps: { inline: ['electron-store'] } },
  },
});
