import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import { findChromium } from './scripts/ensure-browser.mjs';

// The Chromium `npm test` found or provisioned (scripts/ensure-browser.mjs passes it as CHROMIUM_PATH);
// run directly, the first one on this machine. The flags keep it quiet on a closed network.
export const CHROMIUM_PATH = findChromium() ?? undefined;

// The record of data folders that held a library (core/data-folder-record.ts) for the apps and CLIs the
// tests start: never the user's own beside their real data folder.
process.env.IMAGE2MODEL_KNOWN_FOLDERS ??= resolve('test-results/known-data-folders.json');

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.e2e.ts',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  // A UI assertion waits up to 10 s (Playwright's default is 5): a CI machine also running other work took
  // longer than 5 s to show a search's empty state (library.e2e.ts) - a pass costs only the time it takes.
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    { name: 'chromium', testIgnore: '**/electron/**' },
    { name: 'electron', testMatch: '**/electron/*.e2e.ts' },
  ],
});
