// `image2model export --delete-preset` when the saved presets file cannot be read: the CLI says so
// (the studio shows the same problem) instead of telling a user with saved presets that they have none.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PRESETS_FILE } from '../../src/core/export/preset-store';
import { runCli, stopAllCliRuns } from '../support/cli-process';

const dataDir = mkdtempSync(join(tmpdir(), 'i2m-delete-preset-'));
afterAll(async () => {
  await stopAllCliRuns();
  rmSync(dataDir, { recursive: true, force: true });
});

it('names the presets file it could not read, not "You have no saved presets"', { timeout: 120_000 }, async () => {
  // A hand edit left a trailing comma: the user's preset is in the file, unread.
  writeFileSync(join(dataDir, PRESETS_FILE), '{"version":1,"presets":[{"id":"shop-ar","label":"Shop AR","recipe":{"formats":["glb"]}},]}');
  const result = await runCli(['export', '--delete-preset', 'shop-ar', '--data-dir', dataDir]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('No saved preset "shop-ar"');
  expect(result.stderr).not.toContain('You have no saved presets');
  expect(result.stderr).toContain(`${PRESETS_FILE}) could not be read`);
});
