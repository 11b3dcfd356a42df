// A preset that cannot be saved (its file cannot be written) is told as that - not "Export failed:
// EISDIR: ...", as if a model had been exported - in the real app (browser transport, built renderer).
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PRESETS_FILE } from '../../src/core/export/preset-store';
import { seedLibrary } from './support/seed-library';
import { launchWebApp, type RunningWebApp } from './support/web-app';

let app: RunningWebApp;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = await launchWebApp();
  await seedLibrary(app.dataDir, ['Garden gnome']);
  // Where the presets file goes, a folder: the file can be neither read nor written.
  mkdirSync(join(app.dataDir, PRESETS_FILE));
});
test.afterAll(async () => {
  await app?.stop();
});

test('saving a preset that cannot be written says the preset was not saved, and why', async ({ page }) => {
  test.setTimeout(120_000);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(app.appUrl);
  await page.getByRole('button', { name: 'Library' }).click();
  await page.getByTestId('model-card').filter({ hasText: 'Garden gnome' }).click();
  await page.getByRole('button', { name: 'Export studio…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export “Garden gnome”' });

  await dialog.getByRole('button', { name: 'Save as preset…' }).click();
  await dialog.getByLabel('Preset name').fill('Resin print');
  // The toast's 5 s fade is held while it is looked at.
  await page.clock.install();
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 3_000));
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  const toast = page.getByRole('alert').filter({ hasText: 'The preset "Resin print" could not be saved:' });
  await expect(toast).toBeVisible({ timeout: 30_000 });
  await expect(toast).toContainText(`${join(app.dataDir, PRESETS_FILE)} could not be written (`);
  await expect(toast).toContainText("Your saved presets are as they were. Check the disk and the app's data folder, then save it again.");
  await expect(toast).not.toContainText('Export failed');
  await page.screenshot({ path: test.info().outputPath('preset-save-failed.png'), animations: 'disabled' });
  await page.clock.resume();
});
