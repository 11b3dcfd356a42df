// A model's preview is stored without an fsync: after a power cut its file may be empty, cut short, or
// hold zeros where its end was (real core, browser transport, built renderer). A short JPEG was served as
// it was, and Chromium drew its top and grey below - no error, so the card kept a broken picture. Each
// damaged one is "not found" now and the card shows what it shows for a model without a preview.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { openDatabase } from '../../src/core/db/open';
import { toStoredPath } from '../../src/core/paths';
import { seedLibrary } from './support/seed-library';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const NAMES = ['Intact preview', 'Preview cut short', 'Preview emptied', 'Preview zeroed at its end'];

/** A 384 px JPEG preview with detail all the way down (a cut one shows where it stops). */
async function previewJpeg(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="384" height="384">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#e8b04a"/><stop offset="1" stop-color="#3a6ea5"/></linearGradient></defs>
    <rect width="384" height="384" fill="url(#g)"/>${Array.from({ length: 12 }, (_, i) => `<circle cx="${32 + ((i * 97) % 320)}" cy="${16 + i * 30}" r="14" fill="#fff" opacity="0.6"/>`).join('')}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

/** Gives each seeded model a preview stored as content-store.ts stores it, then damages three of them. */
async function givePreviews(dataDir: string): Promise<void> {
  const jpeg = await previewJpeg();
  const sha = createHash('sha256').update(jpeg).digest('hex');
  const damaged = [jpeg, jpeg.subarray(0, jpeg.byteLength >> 1), Buffer.alloc(0), Buffer.concat([jpeg.subarray(0, jpeg.byteLength >> 1), Buffer.alloc(jpeg.byteLength - (jpeg.byteLength >> 1))])];
  const db = openDatabase(dataDir);
  for (const [i, bytes] of damaged.entries()) {
    // One folder per model: the same content would otherwise be one file for all four.
    const dir = join(dataDir, 'previews', `m${i}`, sha.slice(0, 2));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${sha}.jpg`);
    writeFileSync(path, bytes);
    db.prepare('UPDATE models SET preview_path = ? WHERE id = ?').run(toStoredPath(dataDir, path), `model-${i}`);
  }
  db.close();
}

let app: RunningWebApp;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = await launchWebApp();
  await seedLibrary(app.dataDir, NAMES);
  await givePreviews(app.dataDir);
});
test.afterAll(async () => app?.stop());

const card = (page: Page, name: string) => page.getByRole('button', { name: new RegExp(`^${name},`) });

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: a damaged preview is not drawn; the intact one is`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.goto(app.appUrl);
    await page.getByRole('button', { name: 'Library' }).click();
    await expect(page.getByTestId('library-count')).toHaveText('4 models');
    const intact = card(page, NAMES[0]!).locator('.model-thumb-preview img');
    await expect.poll(() => intact.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(384);
    for (const name of NAMES.slice(1)) await expect(card(page, name).locator('.model-thumb')).toHaveClass(/model-thumb-none/);
    await page.screenshot({ path: test.info().outputPath(`library-damaged-previews-${scheme}.png`) });
  });
}
