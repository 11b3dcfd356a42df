// The export studio's Result pane before the first result is worked out: it said "No model open" (the
// empty viewer's words) beside "Working out the result…", as if the model were missing - what a new
// user saw on opening the studio for a large model. It now says the result appears there once worked
// out, then shows it. The plan's answer is held back (the page's socket routed) so the wait is seen.
import { expect, test, type WebSocketRoute } from '@playwright/test';
import { launchWebApp, type RunningWebApp } from './support/web-app';
import { seedLibrary } from './support/seed-library';

let app: RunningWebApp;
test.afterEach(async () => app?.stop());

for (const scheme of ['light', 'dark'] as const) {
  test(`the Result pane says the result is on its way, not "No model open" (${scheme})`, async ({ page }) => {
    app = await launchWebApp();
    await seedLibrary(app.dataDir, ['Garden gnome']);
    // Plan calls wait until released; every other message passes.
    const held: (() => void)[] = [];
    let holding = true;
    await page.routeWebSocket(/.*/, (ws: WebSocketRoute) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        if (holding && typeof message === 'string' && message.includes('"export:plan"')) held.push(() => server.send(message));
        else server.send(message);
      });
    });
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.goto(app.appUrl);
    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByTestId('model-card').filter({ hasText: 'Garden gnome' }).click();
    await page.getByRole('button', { name: 'Export studio…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export “Garden gnome”' });
    const preview = dialog.getByTestId('export-preview');
    await expect(dialog.getByText('Working out the result…')).toBeVisible();
    await expect.poll(() => held.length).toBeGreaterThan(0);
    await expect(preview).toContainText('The result appears here once it is worked out.');
    await expect(preview).not.toContainText('No model open');
    await page.screenshot({ path: test.info().outputPath(`export-result-pending-${scheme}.png`) });

    // Released: the result is shown.
    holding = false;
    for (const release of held.splice(0)) release();
    await expect(preview.locator('.mv[data-status="ready"]')).toBeVisible({ timeout: 60_000 });
    await expect(preview.getByTestId('export-preview-empty')).toHaveCount(0);
  });
}
