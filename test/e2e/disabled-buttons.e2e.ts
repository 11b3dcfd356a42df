// A disabled button looks disabled in both themes: the primary one loses its accent colour. In the dark
// theme a disabled Export or Rename (the accent at 55% opacity) still read as a bright, clickable button.
import { expect, test, type Locator } from '@playwright/test';
import sharp from 'sharp';
import { makeTestPng } from '../fixtures/make-glb';
import { defaultScenario, openMockApp } from './support/mock-app';
import { dropFiles } from './support/page-helpers';

/** The button's pixels and its face: the colour most of them have (not its label). */
async function pixelsAndFace(button: Locator): Promise<{ data: Buffer; pixels: number; face: [number, number, number] }> {
  const { data, info } = await sharp(await button.screenshot({ animations: 'disabled' })).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const pixels = info.width * info.height;
  const counts = new Map<number, number>();
  for (let i = 0; i < pixels * 3; i += 3) {
    const key = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const face = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  return { data, pixels, face: [face >> 16, (face >> 8) & 255, face & 255] };
}

/** How colourful the button's face is (0-255). */
async function faceChroma(button: Locator): Promise<number> {
  const { face } = await pixelsAndFace(button);
  return Math.max(...face) - Math.min(...face);
}

/** How much the button's glyph stands out from its face: the summed difference of its pixels from the commonest colour. */
async function ink(button: Locator): Promise<number> {
  const { data, pixels, face } = await pixelsAndFace(button);
  let sum = 0;
  for (let i = 0; i < pixels * 3; i += 3) sum += Math.max(...[0, 1, 2].map((c) => Math.abs(data[i + c]! - face[c]!)));
  return sum;
}

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: a disabled icon button (the first image's Move earlier) is fainter than an enabled one and not a pointer`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario());
    await page.getByTestId('model-select').selectOption('fal-ai/hyper3d/rodin');
    // Added images use the generator the app has saved: wait for its answer (a loaded machine is slow to give it).
    await expect(page.getByTestId('model-select')).toHaveValue('fal-ai/hyper3d/rodin');
    const png = async (name: string, seed: number) => ({ name, mime: 'image/png', bytes: await makeTestPng(64, 64, { alpha: true, seed }) });
    await dropFiles(page, page.getByTestId('drop-zone'), [await png('a.png', 1), await png('b.png', 2)]);
    const composer = page.getByTestId('set-composer');
    await composer.getByText('One model from these').click();
    const first = composer.getByRole('button', { name: 'Move a.png earlier' });
    const second = composer.getByRole('button', { name: 'Move b.png earlier' });
    await expect(first).toBeDisabled();
    await expect(second).toBeEnabled();
    await composer.screenshot({ path: test.info().outputPath(`ordered-set-${scheme}.png`) });
    expect(await ink(first), 'the disabled arrow is fainter').toBeLessThan((await ink(second)) * 0.6);
    expect(await first.evaluate((el) => getComputedStyle(el).cursor)).toBe('default');
  });

  test(`${scheme}: a disabled primary button is grey, an enabled one has the accent colour`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario({ library: { generate: 3 } }));
    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByTestId('model-card').first().click();
    await page.getByTestId('model-details').getByRole('button', { name: 'Rename' }).click();
    const dialog = page.getByRole('dialog');
    const rename = dialog.getByRole('button', { name: 'Rename' });
    // The name is unchanged: nothing to rename yet.
    await expect(rename).toBeDisabled();
    await dialog.screenshot({ path: test.info().outputPath(`rename-disabled-${scheme}.png`) });
    const disabled = await faceChroma(rename);
    await dialog.getByLabel('Name').fill('Ceramic vase, glazed');
    await expect(rename).toBeEnabled();
    await dialog.screenshot({ path: test.info().outputPath(`rename-enabled-${scheme}.png`) });
    const enabled = await faceChroma(rename);
    expect(enabled, 'the enabled button shows the accent').toBeGreaterThan(80);
    expect(disabled, 'the disabled button is grey').toBeLessThan(25);
  });
}
