// The check before paying, for a set (one model from several photos): a set with a photo a paid
// generator would make a poorer model from (here 200 x 150 px) was sent and charged at once. Now it is
// held whole - nothing uploaded or submitted - with why, "Send anyway" priced as one model of the
// set's own generator (also after the chooser changed) and "Leave out". Light and dark screenshots.
import { expect, test, type Page } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { dropFiles } from './support/page-helpers';
import { useKeyedAppWithFakeFal } from './support/keyed-app';

const RODIN = 'fal-ai/hyper3d/rodin';
const running = useKeyedAppWithFakeFal();

/** Drops a good photo and a small one for Rodin and asks for one model from them; returns the set's price. */
async function dropHeldSet(page: Page): Promise<string> {
  await page.goto(running.app.appUrl);
  await page.getByTestId('model-select').selectOption(RODIN);
  await expect(page.getByTestId('model-select')).toHaveValue(RODIN);
  await dropFiles(page, page.getByTestId('drop-zone'), [
    { name: 'jug-a.png', mime: 'image/png', bytes: await makeTestPng(640, 640, { alpha: true, seed: 61 }) },
    { name: 'jug-b.png', mime: 'image/png', bytes: await makeTestPng(200, 150, { alpha: true, seed: 62 }) },
  ]);
  const composer = page.getByTestId('set-composer');
  await composer.getByText('One model from these').click();
  const price = ((await page.getByTestId('price-estimate').locator('strong').textContent()) ?? '').replace('≈', '').trim();
  expect(price).toMatch(/^\$\d+\.\d\d$/);
  await page.getByTestId('make-set').click();
  await expect(composer).toBeHidden();
  return price;
}

for (const scheme of ['light', 'dark'] as const) {
  test(`(${scheme}) a set with a small photo waits for the user's word, then goes with its own generator`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const price = await dropHeldSet(page);
    const held = page.getByTestId('intake-held');
    await expect(held).toContainText('Not sent: a photo of this set may give a poorer model. Nothing was charged for it.');
    await expect(held.getByTestId('intake-held-item')).toHaveText('jug-b.png is only 200 x 150 px; results are better from images at least 512 px on each side.');
    await expect(page.getByTestId('job-row')).toHaveCount(0);
    expect(running.fake.uploads()).toHaveLength(0);
    expect(running.fake.submissions).toHaveLength(0);
    await held.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300); // colour transitions (screenshot only)
    await page.screenshot({ path: test.info().outputPath(`hold-set-before-paying-${scheme}.png`) });

    // The chooser changed since: the button still prices one Rodin model, and sends the set to Rodin.
    await page.getByTestId('model-select').selectOption('tripo3d/tripo/v2.5/image-to-3d');
    const send = held.getByRole('button', { name: /^Send anyway/ });
    await expect(send).toHaveText(`Send anyway (≈ ${price})`);
    await send.click();
    const row = page.getByTestId('job-row');
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
    await expect(page.getByTestId('intake-held')).toHaveCount(0);
    expect(running.fake.submissions.map((s) => s.endpointId)).toEqual([RODIN]);
    expect(running.fake.uploads()).toHaveLength(2);
  });
}

test('"Leave out" sends nothing for the held set', async ({ page }) => {
  await dropHeldSet(page);
  const held = page.getByTestId('intake-held');
  await held.getByRole('button', { name: 'Leave out' }).click();
  await expect(held).toHaveCount(0);
  await expect(page.getByTestId('job-row')).toHaveCount(0);
  expect(running.fake.submissions).toHaveLength(0);
  expect(running.fake.uploads()).toHaveLength(0);
});
