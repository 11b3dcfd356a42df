// `image2model export --delete-preset` when the saved presets file cannot be read: the CLI says so
// (the studio shows the same problem) instead of telling a user with saved presets that they have none.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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

describe('--delete-preset with flags it would ignore', () => {
  const saved = JSON.stringify({ version: 1, presets: [{ id: 'shop-ar', label: 'Shop AR', recipe: { formats: ['glb'] } }] });

  it.each([
    [['--save-preset', 'Shop AR 2'], '--save-preset'],
    [['--preset', 'game'], '--preset'],
    [['--plan'], '--plan'],
    [['--no-weld', '--format', 'stl'], '--format, --no-weld'],
  ])('%j is a usage error that names them and deletes nothing', { timeout: 120_000 }, async (extra, named) => {
    writeFileSync(join(dataDir, PRESETS_FILE), saved);
    const result = await runCli(['export', '--delete-preset', 'shop-ar', ...extra, '--data-dir', dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot be combined with ${named}.`);
    expect(result.stderr).toContain('image2model export --delete-preset shop-ar), then export or save a preset in a second command');
    expect(result.stdout).toBe('');
    expect(readFileSync(join(dataDir, PRESETS_FILE), 'utf8')).toBe(saved);
  });

  it('alone (with --json and --data-dir) still deletes', { timeout: 120_000 }, async () => {
    writeFileSync(join(dataDir, PRESETS_FILE), saved);
    const result = await runCli(['export', '--delete-preset', 'shop-ar', '--json', '--data-dir', dataDir]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ type: 'preset-deleted', id: 'shop-ar' });
  });
});
