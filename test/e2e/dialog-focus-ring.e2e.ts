// A dialog opened with the mouse still shows where the keyboard focus is: the control it focuses on
// opening (its safe button, or the free action it offers) wears the focus ring, so a user who then
// presses Tab or Enter sees what they act on. (The browser shows the ring only after keyboard use: a
// dialog opened by a click focused its Cancel with no visible sign.) A click on another control moves
// the focus there without a ring, as usual. Light and dark screenshots.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { defaultScenario, mockJob, openMockApp } from './support/mock-app';

/** The focus ring, as drawn: the accent outline (:focus-visible) or the buttons' accent box-shadow. */
const showsFocusRing = (control: Locator) =>
  control.evaluate((el) => {
    const style = getComputedStyle(el);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow.includes('0px 0px 0px 3px');
  });

async function shot(page: Page, name: string) {
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`(${scheme}) a confirmation opened with the mouse shows the focus ring on its Cancel`, async ({ page }) => {
    const failed = mockJob('teapot', {
      state: 'failed',
      falRequestId: 'req-teapot-1',
      requestFinished: true,
      errorCode: 'fal_failed',
      errorMessage: 'FAL could not make a model from this photo.',
      finishedAt: Date.now() - 60_000,
    });
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario({ jobs: [failed] }));
    await page.getByTestId('job-row').getByRole('button', { name: 'Generate teapot.jpg again' }).click();
    const dialog = page.getByRole('dialog');
    const cancel = dialog.getByRole('button', { name: 'Cancel' });
    await expect(cancel).toBeFocused();
    await page.mouse.move(0, 0);
    expect(await showsFocusRing(cancel)).toBe(true);
    await shot(page, `confirm-focus-ring-${scheme}`);
    // Tab moves on, the ring with it.
    await page.keyboard.press('Tab');
    const paid = dialog.getByRole('button', { name: /^Generate again/ });
    await expect(paid).toBeFocused();
    expect(await showsFocusRing(paid)).toBe(true);
    expect(await showsFocusRing(cancel)).toBe(false);
  });

  test(`(${scheme}) "Review and retry…" opened with the mouse shows the focus ring on "Check FAL's records now"; a click elsewhere shows none`, async ({ page }) => {
    const lost = mockJob('robot-toy', {
      state: 'needs_attention',
      errorCode: 'submit_uncertain',
      errorMessage: 'The connection broke before FAL answered, so the app cannot tell whether FAL received this job.',
      finishedAt: Date.now() - 60_000,
    });
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario({ jobs: [lost] }));
    await page.getByTestId('job-row').getByRole('button', { name: 'Review and retry…' }).click();
    const dialog = page.getByRole('dialog');
    const check = dialog.getByRole('button', { name: "Check FAL's records now" });
    await expect(check).toBeFocused();
    await page.mouse.move(0, 0);
    expect(await showsFocusRing(check)).toBe(true);
    await shot(page, `review-focus-ring-${scheme}`);
    // A click is not a keyboard move: the clicked button takes the focus without a ring (none is left
    // behind either: the marker goes with the focus).
    const cancel = dialog.getByRole('button', { name: 'Cancel' });
    await cancel.hover();
    await page.mouse.down();
    await expect(cancel).toBeFocused();
    expect(await showsFocusRing(cancel)).toBe(false);
    expect(await showsFocusRing(check)).toBe(false);
    await page.mouse.move(0, 0); // released away from it: nothing clicked
  });
}
