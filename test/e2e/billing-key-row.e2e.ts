// Settings, Spending: the billing key's Save button stands level with its field (it was a small button,
// 6 px shorter, hanging at the field's top) and the field sits below its note, not against it. The
// block is set off from the cap above it like every other setting (it ran on 8 px under the cap's help).
import { expect, test } from '@playwright/test';
import { defaultScenario, openMockApp } from './support/mock-app';

for (const scheme of ['light', 'dark'] as const) {
  test(`the billing key field and its Save button are one row (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario());
    await page.getByRole('button', { name: 'Settings' }).click();
    const input = page.getByTestId('billing-key-input');
    await input.scrollIntoViewIfNeeded();
    const field = (await input.boundingBox())!;
    const save = (await page.getByTestId('billing-key-save').boundingBox())!;
    expect(Math.abs(save.y - field.y)).toBeLessThanOrEqual(1);
    expect(Math.abs(save.height - field.height)).toBeLessThanOrEqual(1);
    const note = (await page.getByTestId('billing-key').locator('.inline-note').boundingBox())!;
    expect(field.y - (note.y + note.height)).toBeGreaterThanOrEqual(6);
    // The line between the cap and the billing key, as between the section's other settings.
    const block = page.getByTestId('billing-key');
    expect(await block.evaluate((el) => getComputedStyle(el).borderTopWidth)).toBe('1px');
    const capHelp = (await page.locator('#settings-spending .setting-row').last().locator('.setting-help').boundingBox())!;
    const label = (await block.locator('.field-label').boundingBox())!;
    expect(label.y - (capHelp.y + capHelp.height)).toBeGreaterThanOrEqual(16);
    const path = test.info().outputPath(`billing-key-row-${scheme}.png`);
    await page.screenshot({ path });
    await test.info().attach(`billing-key-row-${scheme}`, { path, contentType: 'image/png' });
  });
}
