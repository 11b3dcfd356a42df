// A disabled button looks disabled in both themes: the primary one loses its accent colour. In the dark
// theme a disabled Export or Rename (the accent at 55% opacity) still read as a bright, clickable button.
import { expect, test, type Locator } from '@playwright/test';
import sharp from 'sharp';
import { defaultScenario, openMockApp } from './support/mock-app';

/** The colour most of the button's pixels have (its face, not its label): how colourful it is (0-255). */
async function faceChroma(button: Locator): Promise<number> {
  const { data, info } = await sharp(await button.screenshot({ animations: 'disabled' })).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const counts = new Map<number, number>();
  for (let i = 0; i < info.width * info.height * 3; i += 3) {
    const key = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const face = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  const rgb = [face >> 16, (face >> 8) & 255, face & 255];
  return Math.max(...rgb) - Math.min(...rgb);
}

for (const scheme of ['light', 'dark'] as const) {
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
