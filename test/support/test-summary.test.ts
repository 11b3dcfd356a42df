// `npm test` ends with every failed test's name and message (scripts/test-summary.mjs): CI shows
// only the end of its output, and one failure in 1,900 tests could not be found from a count alone.
// The reports here are written by the real vitest and Playwright runs of a tiny planted suite.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { summarizePlaywright, summarizeVitest } from '../../scripts/test-summary.mjs';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-test-summary-'));
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(
    join(dir, 'planted.test.ts'),
    "import { expect, it } from 'vitest';\nit('adds', () => expect(1 + 1).toBe(2));\n" +
      "it('planted unit failure', () => expect('planted-unit-value').toBe('other'));\n",
  );
  writeFileSync(join(dir, 'broken.test.ts'), "import './no-such-module';\n");
  writeFileSync(
    join(dir, 'planted.spec.ts'),
    "import { expect, test } from '@playwright/test';\ntest('passes', () => expect(1).toBe(1));\n" +
      "test('planted browser failure', () => expect('planted-browser-value').toBe('other'));\n",
  );
  writeFileSync(
    join(dir, 'pw.config.ts'),
    "import { defineConfig } from '@playwright/test';\nexport default defineConfig({ testDir: '.', testMatch: '*.spec.ts', " +
      "reporter: [['json', { outputFile: 'playwright.json' }]], projects: [{ name: 'planted' }] });\n",
  );
  const bin = (name: string) => join(dir, 'node_modules', '.bin', name);
  spawnSync(bin('vitest'), ['run', 'planted.test', 'broken.test', '--root', dir, '--reporter=json', '--outputFile=vitest.json'], { cwd: dir });
  spawnSync(bin('playwright'), ['test', '--config', 'pw.config.ts'], { cwd: dir });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('names the failed unit test and the file that did not load, with their messages', () => {
  const summary = summarizeVitest(join(dir, 'vitest.json'), dir);
  expect(summary).toMatchObject({ passed: 1, failed: 2, skipped: 0 });
  expect(summary.failures).toHaveLength(2);
  expect(summary.failures.find((f) => f.startsWith('planted.test.ts > planted unit failure'))).toContain('planted-unit-value');
  expect(summary.failures.find((f) => f.startsWith('broken.test.ts (did not load)'))).toContain('no-such-module');
});

it('names the failed browser test with its project and message', () => {
  const summary = summarizePlaywright(join(dir, 'playwright.json'));
  expect(summary).toMatchObject({ passed: 1, failed: 1, skipped: 0 });
  expect(summary.failures).toHaveLength(1);
  expect(summary.failures[0]).toMatch(/^planted\.spec\.ts > planted browser failure \[planted\]/);
  expect(summary.failures[0]).toContain('planted-browser-value');
});

it('a missing report counts as a failure and says which', () => {
  const summary = summarizeVitest(join(dir, 'absent.json'));
  expect(summary.failed).toBe(1);
  expect(summary.failures[0]).toContain('absent.json');
});
