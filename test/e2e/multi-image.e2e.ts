// Several photos, one model, in the whole app (browser transport, real core, fake FAL server):
// drop three views of a mug, choose one model from them with Tripo Multiview, check the views the
// file names gave, make it, and watch the one job run to a model whose source is the set.
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
  test(`three views become one Tripo Multiview model (${scheme})`, async ({ page }) => {
    test.setTimeout(240_000);
    fake = await startFakeFal({ processingMs: 800 });
    app = await launchWebApp({ env: { FAL_KEY: 'e2e-good-key-123456' }, falProxy: fake.url });
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.goto(app.appUrl);
    await page.getByTestId('model-select').selectOption('tripo3d/tripo/v2.5/multiview-to-3d');
    // Added images use the generator the app has saved: wait for its answer (a loaded machine is slow to give it).
    await expect(page.getByTestId('model-select')).toHaveValue('tripo3d/tripo/v2.5/multiview-to-3d');

    // Dropped in a scrambled order; the names say which view each one is.
    await dropFiles(page, page.getByTestId('drop-zone'), [await png('mug-back.png', 3), await png('mug_FRONT.png', 1), await png('mug-left.png', 2)]);
    const composer = page.getByTestId('set-composer');
    await expect(composer).toBeVisible();
    await expect(page.getByTestId('job-row')).toHaveCount(0); // nothing is queued before the choice
    await composer.getByText('One model from these').click();
    const slot = (role: string) => composer.locator(`[data-testid="set-slot"][data-role="${role}"]`);
    await expect(slot('front')).toHaveAttribute('data-filled', 'mug_FRONT.png');
    await expect(slot('left')).toHaveAttribute('data-filled', 'mug-left.png');
    await expect(slot('back')).toHaveAttribute('data-filled', 'mug-back.png');
    await expect(slot('right')).toHaveAttribute('data-filled', '');
    // The estimate is the generator's price per model (FAL's price list when it is known).
    const price = ((await page.getByTestId('price-estimate').locator('strong').textContent()) ?? '').replace('≈', '').trim();
    expect(price).toMatch(/^\$\d+\.\d+$/);
    await expect(page.getByTestId('set-estimate')).toContainText(price);
    await page.getByTestId('make-set').scrollIntoViewIfNeeded();
    await shot(page, `multi-1-views-${scheme}`);

    // A view can be changed from its menu (it swaps with the image that had it), and changed back.
    await composer.getByRole('combobox', { name: 'View of mug-left.png' }).selectOption('right');
    await expect(slot('right')).toHaveAttribute('data-filled', 'mug-left.png');
    await expect(slot('left')).toHaveAttribute('data-filled', '');
    await composer.getByRole('combobox', { name: 'View of mug-left.png' }).selectOption('left');

    await page.getByTestId('make-set').click();
    await expect(composer).toBeHidden();
    await expect(page.getByTestId('intake-notice')).toContainText('3 images added');
    const row = page.getByTestId('job-row');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('mug');
    await expect(row).toContainText('front, left, back');
    await expect(row.getByTestId('job-thumb-set').locator('img')).toHaveCount(3);
    await expect(row).toHaveAttribute('data-state', 'succeeded', { timeout: 90_000 });
    await expect.poll(() => row.getByTestId('job-thumb-set').locator('img').evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).naturalWidth > 0))).toBe(true);
    await shot(page, `multi-2-done-${scheme}`);

    // One submission with the three view fields, each image uploaded once.
    expect(fake.submissions).toHaveLength(1);
    expect(fake.submissions[0]!.endpointId).toBe('tripo3d/tripo/v2.5/multiview-to-3d');
    expect(Object.keys(fake.submissions[0]!.input as object)).toEqual(expect.arrayContaining(['front_image_url', 'left_image_url', 'back_image_url']));
    expect(fake.uploads()).toHaveLength(3);

    // The library names the set as the model's source.
    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByTestId('model-card').first().click();
    await expect(page.getByTestId('model-sources')).toContainText('mug_FRONT.png');
    await expect(page.getByTestId('model-sources').locator('img')).toHaveCount(3);
    await page.getByTestId('model-sources').scrollIntoViewIfNeeded();
    await shot(page, `multi-3-library-${scheme}`);
  });
}
