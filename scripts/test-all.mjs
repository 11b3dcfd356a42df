#!/usr/bin/env node
// `npm test`: first finds or provisions the Chromium the browser tests need (scripts/ensure-browser.mjs),
// then the unit and integration tests (vitest), the browser tests (Playwright), and a check that
// nothing the run started is still running. Ends with one line `N passed, N failed, N skipped`
// counting every test that ran (a process left running counts as a failure).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { ensureBrowser } from './ensure-browser.mjs';
import { killLeftovers } from './leftover-processes.mjs';
import { bundledCli } from './cli-bundle.mjs';
import { summarizePlaywright, summarizeVitest } from './test-summary.mjs';

let chromiumPath;
try {
  chromiumPath = await ensureBrowser();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

// Every process of this run (and its descendants) carries the marker, so survivors can be found.
const RUN_MARKER = 'IMAGE2MODEL_TEST_RUN';
const runId = randomUUID();
const env = { ...process.env, CHROMIUM_PATH: chromiumPath, [RUN_MARKER]: runId };

mkdirSync('test-results', { recursive: true });
const vitestJson = 'test-results/vitest.json';
const playwrightJson = 'test-results/playwright.json';
rmSync(vitestJson, { force: true });
rmSync(playwrightJson, { force: true });

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env }).status ?? 1;

if (!existsSync('out/renderer/index.html')) {
  console.log('Building the app first (the browser tests load the built renderer)...');
  if (run('npx', ['electron-vite', 'build']) !== 0) process.exit(1);
}

// The CLI tests run the real bin: build its bundle once here rather than in several tests at once.
await bundledCli(process.cwd()).catch(() => {});

const vitestStatus = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${vitestJson}`]);

// Electron's smoke test wants a display where Electron exists; xvfb-run provides one when present.
const useXvfb = process.platform === 'linux' && !process.env.DISPLAY && spawnSync('which', ['xvfb-run']).status === 0;
const pwArgs = ['playwright', 'test'];
const playwrightStatus = useXvfb ? run('xvfb-run', ['-a', '-s', '-screen 0 1280x800x24', 'npx', ...pwArgs]) : run('npx', pwArgs);

const results = [summarizeVitest(vitestJson), summarizePlaywright(playwrightJson)];
const passed = results.reduce((sum, r) => sum + r.passed, 0);
let failed = results.reduce((sum, r) => sum + r.failed, 0);
const skipped = results.reduce((sum, r) => sum + r.skipped, 0);
const failures = results.flatMap((r) => r.failures);

const leftovers = await killLeftovers(RUN_MARKER, runId);
if (leftovers.length > 0) {
  console.log(`\nFAILED: ${leftovers.length} process(es) started by the tests were still running (now killed):`);
  for (const { pid, command } of leftovers) console.log(`  ${pid} ${command.slice(0, 200)}`);
  failed += 1;
}

if (failures.length > 0) {
  console.log(`\nFailed tests (${failures.length}):`);
  for (const failure of failures) console.log(`  ${failure}`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(vitestStatus === 0 && playwrightStatus === 0 && failed === 0 ? 0 : 1);
