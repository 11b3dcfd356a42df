// Saving a FAL key on a system without a keychain asks first: the key would only be obfuscated. The
// safe choice is the dialog's default - the focus opens on Cancel, so Enter (or Space) right after it
// opens does not store the key weakly - and "Save anyway" is drawn as a cautionary action, not as the
// primary one. (It opened on "Save anyway": Enter saved the key with weak protection.)
import { expect, test, type Page } from '@playwright/test';
import { defaultScenario, openMockApp } from './support/mock-app';

type Mock = { __mock: { calls: { channel: string; input: { allowWeak?: boolean } }[] } };
const keySets = (page: Page) => page.evaluate(() => (window as unknown as Mock).__mock.calls.filter((c) => c.channel === 'key:set').map((c) => c.input.allowWeak ?? false));

for (const scheme of ['light', 'dark'] as const) {
  test(`no keychain (${scheme}): "Save the key with weak protection?" opens on Cancel; Enter does not save the key weakly`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario({ keyStatus: { set: false, last4: null, source: null, backend: 'basic_text', needsReentry: false, weakProtection: true } }));
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByTestId('key-input').fill('key-id:0123456789abcdef');
    await page.getByRole('button', { name: 'Save key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save the key with weak protection?' });
    const saveAnyway = dialog.getByRole('button', { name: 'Save anyway' });
    await expect(saveAnyway).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await expect(saveAnyway).not.toBeFocused();
    await expect(saveAnyway).not.toHaveClass(/button-primary/);
    await expect(saveAnyway).toHaveClass(/button-caution/);
    const path = test.info().outputPath(`weak-key-dialog-${scheme}.png`);
    await page.screenshot({ path });
    await test.info().attach(`weak-key-dialog-${scheme}`, { path, contentType: 'image/png' });

    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    expect(await keySets(page)).toEqual([false]); // only the first ask, which the app refused
    await expect(page.getByTestId('key-status')).toContainText('No key set');

    // Saving weakly stays one deliberate choice away (here from the keyboard: Enter in the key field).
    await page.getByTestId('key-input').press('Enter');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await dialog.getByRole('button', { name: 'Save anyway' }).click();
    await expect(dialog).toBeHidden();
    expect(await keySets(page)).toEqual([false, false, true]);
  });
}
