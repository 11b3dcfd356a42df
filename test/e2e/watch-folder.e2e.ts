// The watched folder in the real app (browser transport, real core): turned on in Settings with the
// folder picker, an image copied into the folder becomes a job in the queue, the image that was
// already there does not, a broken image is listed as not added in Settings, and a folder moved away
// pauses the watch with a message until it is back.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { launchWebApp, type RunningWebApp } from './support/web-app';

let app: RunningWebApp;
let folder: string;
test.beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'i2m-e2e-watched-'));
  writeFileSync(join(folder, 'already-there.png'), await makeTestPng(256, 256, { seed: 31 }));
  // There is no folder dialog in a browser: the app's picker answers with this folder.
  app = await launchWebApp({ pickedFolder: folder });
});
test.afterEach(async () => {
  await app?.stop();
  rmSync(folder, { recursive: true, force: true });
  rmSync(`${folder}-moved`, { recursive: true, force: true });
});

async function sectionShot(page: Page, scheme: 'light' | 'dark') {
  await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
  await page.waitForTimeout(300); // colour transitions (screenshot only)
  const path = test.info().outputPath(`watch-settings-${scheme}.png`);
  await page.locator('#settings-watch').screenshot({ path });
  await test.info().attach(`watch-settings-${scheme}`, { path, contentType: 'image/png' });
}

test('turn the watch on in Settings, copy an image into the folder, see its job in the queue', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(app.appUrl);
  await page.getByRole('button', { name: 'Settings' }).click();
  const section = page.locator('#settings-watch');
  await expect(section.getByText('Images already in the folder are not added; drop them in to make them.')).toBeVisible();
  await section.getByLabel('Generator').selectOption('offline/relief');
  // The switch shows the watch's state once the app answers (click, then look).
  const watchSwitch = section.getByRole('switch', { name: 'Watch a folder' });
  await watchSwitch.click();
  await expect(watchSwitch).toBeChecked();
  await expect(section.getByLabel('Watched folder', { exact: true })).toHaveText(folder);
  await expect(section.getByTestId('watch-state')).toContainText('Watching.');

  writeFileSync(join(folder, 'new-photo.png'), await makeTestPng(256, 256, { seed: 32 }));
  const png = await makeTestPng(256, 256, { seed: 33 });
  writeFileSync(join(folder, 'half-copied.png'), png.subarray(0, Math.floor(png.length / 3)));
  await expect(section.getByTestId('watch-state')).toContainText('1 new image added since the app started', { timeout: 20_000 });
  await expect(section.getByRole('list', { name: 'Not added from the watched folder' })).toContainText('half-copied.png');
  await sectionShot(page, 'light');
  await sectionShot(page, 'dark');

  await page.getByRole('button', { name: 'Create' }).click();
  const row = page.locator('[data-testid="job-row"]', { hasText: 'new-photo.png' });
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await expect(page.getByTestId('job-row')).toHaveCount(1); // already-there.png and the broken file made no job

  // The folder moved away: the watch pauses and says so; back, it watches again.
  await page.getByRole('button', { name: 'Settings' }).click();
  renameSync(folder, `${folder}-moved`);
  await expect(section.getByTestId('watch-state')).toContainText('is not there (moved, renamed or deleted)', { timeout: 20_000 });
  await expect(section.getByRole('switch', { name: 'Watch a folder' })).toBeChecked();
  const path = test.info().outputPath('watch-settings-paused.png');
  await section.screenshot({ path });
  await test.info().attach('watch-settings-paused', { path, contentType: 'image/png' });
  renameSync(`${folder}-moved`, folder);
  await expect(section.getByTestId('watch-state')).toContainText('Watching.', { timeout: 20_000 });

  // Off: nothing more is taken.
  await watchSwitch.click();
  await expect(watchSwitch).not.toBeChecked();
  await expect(section.getByTestId('watch-state')).toHaveCount(0);
});
