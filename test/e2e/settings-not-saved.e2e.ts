// A settings change the app refuses, when reading the settings again fails too (the app not answering):
// the control went on showing the refused value as if it were saved (and a theme change said nothing
// at all). Now it shows the last saved value again at once, and a toast says the change was not saved
// and what to do. (Mock app: its settings:set refuses, its settings:get fails.)
import { expect, test } from '@playwright/test';
import { defaultScenario, openMockApp } from './support/mock-app';

for (const scheme of ['light', 'dark'] as const) {
  test(`(${scheme}) a refused theme change whose re-read fails shows the saved theme again and says what to do`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario());
    await page.getByRole('button', { name: 'Settings' }).click();
    const themes = page.getByRole('radiogroup', { name: 'Theme' });
    await expect(themes.getByRole('radio', { name: 'System' })).toBeChecked();
    await page.evaluate(() => {
      const api = (window as unknown as { api: Record<string, (input?: unknown) => Promise<unknown>> }).api;
      api['settings:set'] = () => Promise.resolve({ ok: false, error: { code: 'io_error', message: 'The settings file could not be written (EACCES)' } });
      api['settings:get'] = () => Promise.reject(new Error('The app did not answer.'));
    });

    const wanted = scheme === 'light' ? 'Dark' : 'Light';
    await themes.getByRole('radio', { name: wanted }).check({ force: true }).catch(() => undefined); // it unchecks itself at once
    const toast = page.getByRole('alert').filter({ hasText: 'The change was not saved: The settings file could not be written (EACCES).' });
    await expect(toast).toBeVisible();
    await expect(toast).toContainText('Settings shows what was saved before');
    await expect(toast).toContainText('Make the change again in a moment; if it fails again, restart Image2Model.');
    await expect(themes.getByRole('radio', { name: 'System' })).toBeChecked();
    await expect(themes.getByRole('radio', { name: wanted })).not.toBeChecked();
    await page.screenshot({ path: test.info().outputPath(`settings-not-saved-${scheme}.png`) });
  });
}
