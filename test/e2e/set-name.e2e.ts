// A set whose photos' names share nothing (kettle, handle, spout) in the whole app (browser transport,
// real core, fake FAL): it is named after its first photo everywhere the user meets it - the queue row,
// the library card, the model's title and the exported file - as `convert --together` names its file
// (shared/input-roles setDisplayName). It was "kettle and 2 more" in the app, "kettle and 2 more.glb" on export.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { dropFiles } from './support/page-helpers';
import { launchWebApp, type RunningWebApp } from './support/web-app';

async function shot(page: Page, name: string) {
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

const png = async (name: string, seed: number) => ({ name, mime: 'image/png', bytes: await makeTestPng(640, 640, { alpha: true, seed }) });

let fake: FakeFal;
let app: RunningWebApp;
test.afterEach(async () => {
  await app?.stop();
  await fake?.close();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`a set of unrelated names is named after its first photo in queue, library, title and export (${scheme})`, async ({ page }) => {
    test.setTimeout(180_000);
    fake = await startFakeFal({ processingMs: 300 });
    app = await launchWebApp({ env: { FAL_KEY: 'e2e-good-key-123456' }, falProxy: fake.url });
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.goto(app.appUrl);
    await page.getByTestId('model-select').selectOption('fal-ai/trellis/multi');
    await expect(page.getByTestId('model-select')).toHaveValue('fal-ai/trellis/multi');

    await dropFiles(page, page.getByTestId('drop-zone'), [await png('kettle.png', 1), await png('handle.png', 2), await png('spout.png', 3)]);
    const composer = page.getByTestId('set-composer');
    await composer.getByText('One model from these').click();
    await page.getByTestId('make-set').click();
    await expect(composer).toBeHidden();

    const row = page.getByTestId('job-row');
    await expect(row).toHaveCount(1);
    await expect(row.locator('.job-name')).toHaveText('kettle');
    await expect(row).toContainText('3 images');
    await expect(row).toHaveAttribute('data-state', 'succeeded', { timeout: 90_000 });
    await shot(page, `set-name-1-queue-${scheme}`);

    await page.getByRole('button', { name: 'Library' }).click();
    const card = page.getByTestId('model-card');
    await expect(card).toHaveCount(1);
    await expect(card.locator('.model-name')).toHaveText('kettle');
    // The card says the model came from a set, as its job did in the queue (it said nothing).
    await expect(card.getByTestId('model-set-count')).toHaveText('3 images');
    await card.click();
    await expect(page.getByTestId('model-details').locator('.details-title')).toHaveText('kettle');
    await expect(page.getByTestId('model-sources')).toContainText('handle.png');
    await shot(page, `set-name-2-library-${scheme}`);

    // The headless platform saves where a desktop save dialog would start: <data>/exports/<default name>.
    const exportsDir = join(app.dataDir, 'exports');
    mkdirSync(exportsDir, { recursive: true });
    await page.getByRole('button', { name: 'Export GLB' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Exported to' })).toBeVisible();
    expect(readdirSync(exportsDir).filter((f) => f.endsWith('.glb'))).toEqual(['kettle.glb']);
  });
}
