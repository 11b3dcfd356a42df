// The viewer's keyboard shortcuts (README: W, I, F, V, T, D...) worked only once the focus was inside
// the viewer: with a model opened from the library grid (the focus on its card) every letter did
// nothing, though README lists them for the library. The library's viewer now takes them from the
// rest of the window while a model is shown - never from a text field (typing a search stays typing).
import { expect, test, type Page } from '@playwright/test';
import { seedLibrary } from './support/seed-library';
import { launchWebApp, type RunningWebApp } from './support/web-app';

let app: RunningWebApp;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = await launchWebApp();
  await seedLibrary(app.dataDir, ['Wooden whale', 'Teapot']);
});
test.afterAll(async () => {
  await app?.stop();
});

const pressed = (page: Page, name: string) => page.locator('.mv-toolbar').getByRole('button', { name, exact: true });

for (const scheme of ['light', 'dark'] as const) {
  test(`(${scheme}) W, D, I, V, T and F work from the library grid; typing in the search does not trigger them`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.goto(app.appUrl);
    await page.getByRole('button', { name: 'Library' }).click();
    const card = page.getByTestId('model-card').filter({ hasText: 'Teapot' });
    await card.click();
    const viewer = page.locator('.mv');
    await expect(viewer).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
    // The focus stays where the user clicked: on the card, outside the viewer.
    await expect(card).toBeFocused();

    await page.keyboard.press('w');
    await expect(viewer).toHaveAttribute('data-view-mode', 'wireframe');
    await page.keyboard.press('d');
    await expect(pressed(page, 'Dimensions')).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('i');
    await expect(page.getByTestId('viewer-stats')).toBeVisible();
    await page.keyboard.press('v');
    await expect(page.getByTestId('viewer-inspector')).toBeVisible();
    await page.keyboard.press('t');
    await expect(page.getByTestId('viewer-textures')).toBeVisible();
    await expect(card).toBeFocused();
    await page.screenshot({ path: test.info().outputPath(`library-shortcuts-${scheme}.png`) });
    await page.keyboard.press('f');
    await expect(viewer).toHaveAttribute('data-large', 'true');
    await page.screenshot({ path: test.info().outputPath(`library-shortcuts-large-${scheme}.png`) });
    await page.keyboard.press('Escape');
    await expect(viewer).not.toHaveAttribute('data-large', 'true');

    // Typing in the search is typing: the wireframe stays on, the box gets the letters.
    const search = page.getByRole('searchbox', { name: 'Search models' });
    await search.click();
    await page.keyboard.type('w');
    await expect(search).toHaveValue('w');
    await expect(viewer).toHaveAttribute('data-view-mode', 'wireframe');
    await expect(page.getByTestId('viewer-textures')).toBeVisible();
  });
}
