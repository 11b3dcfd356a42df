// The export studio and the keyboard. Opened from a model's details it took the focus to "Use for new
// models" (the presets were still loading, so that was the first control it found): Enter there
// changes what every new model does. And closing it left the focus nowhere (on the page's body), as
// the details pane, whose "Export studio…" button opened it, was put away while the studio was open:
// a keyboard user had to start again from the top of the window. Now the studio opens on the chosen
// preset and gives the focus back to the button that opened it. Light and dark screenshots.
import { expect, test, type Page } from '@playwright/test';
import { seedLibrary } from './support/seed-library';
import { launchWebApp, type RunningWebApp } from './support/web-app';

let app: RunningWebApp;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = await launchWebApp();
  await seedLibrary(app.dataDir, ['Garden gnome', 'Teapot']);
});
test.afterAll(async () => {
  await app?.stop();
});

async function openStudio(page: Page, scheme: 'light' | 'dark') {
  await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
  await page.goto(app.appUrl);
  await page.getByRole('button', { name: 'Library' }).click();
  await page.getByTestId('model-card').filter({ hasText: 'Garden gnome' }).click();
  const opener = page.getByTestId('model-details').getByRole('button', { name: 'Export studio…' });
  await opener.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Export “Garden gnome”' });
  await expect(dialog).toBeVisible();
  return { dialog, opener };
}

for (const scheme of ['light', 'dark'] as const) {
  test(`(${scheme}) the studio opens on the chosen preset, not on "Use for new models"`, async ({ page }) => {
    test.setTimeout(90_000);
    const { dialog } = await openStudio(page, scheme);
    const chosen = dialog.getByRole('radio', { checked: true });
    await expect(chosen).toHaveText(/Blender/);
    await expect(chosen).toBeFocused();
    await expect(dialog.getByRole('button', { name: 'Use for new models' })).not.toBeFocused();
    await page.screenshot({ path: test.info().outputPath(`studio-open-focus-${scheme}.png`) });
  });

  test(`(${scheme}) closing the studio gives the focus back to "Export studio…"`, async ({ page }) => {
    test.setTimeout(90_000);
    for (const close of ['Escape', 'Cancel'] as const) {
      const { dialog, opener } = await openStudio(page, scheme);
      if (close === 'Escape') await page.keyboard.press('Escape');
      else await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toHaveCount(0);
      await expect(opener).toBeFocused();
    }
    await page.screenshot({ path: test.info().outputPath(`studio-closed-focus-${scheme}.png`) });
  });
}
