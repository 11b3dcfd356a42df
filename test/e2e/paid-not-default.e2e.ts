// A paid action is never a dialog's default: when a dialog that offers one opens, the focus is on a
// free action ("Check FAL's records now" when offered) or Cancel, so Enter right after opening cannot
// pay. On opening that held before too (the dialog's showModal focuses the first control, after React's
// autoFocus on the paid button had run on a closed dialog); these pin it. It did not hold while the
// dialog was open: "Generate again" coming back under it (a followed job failing at FAL) took the focus
// through that autoFocus, so the Enter meant for Close paid. (Mock app: the calls are recorded.)
import { expect, test, type Page } from '@playwright/test';
import type { Job } from '../../src/shared/domain';
import { contrastRatio, parseRgb } from './support/contrast';
import { dropFiles } from './support/page-helpers';
import { defaultScenario, mockJob, moveMockJob, openMockApp } from './support/mock-app';

type Mock = {
  __mock: { calls: { channel: string; input: Record<string, unknown> }[]; state: { jobs: Job[] }; emit(event: string, payload: unknown): void };
};
const callsTo = (page: Page, channel: string) =>
  page.evaluate((name) => (window as unknown as Mock).__mock.calls.filter((c) => c.channel === name).map((c) => c.input), channel);

const moveJob = moveMockJob;

test('"Review and retry…" (answer lost): the focus opens on "Check FAL\'s records now"; Enter checks, it does not generate again', async ({ page }) => {
  const lost = mockJob('robot-toy', {
    state: 'needs_attention',
    errorCode: 'submit_unconfirmed',
    errorMessage: 'The connection broke before FAL answered, so the app cannot tell whether FAL received this job.',
    finishedAt: Date.now() - 60_000,
  });
  await page.emulateMedia({ reducedMotion: 'reduce' }); // the screenshots show the dialog opened, not fading in
  await openMockApp(page, defaultScenario({ jobs: [lost] }));
  await page.getByTestId('job-row').getByRole('button', { name: 'Review and retry…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: /^Generate again \(≈ \$0\.30\)$/ })).toBeVisible();
  await expect(dialog.getByRole('button', { name: "Check FAL's records now" })).toBeFocused();
  const path = test.info().outputPath('review-dialog-focus.png');
  await page.screenshot({ path });
  await test.info().attach('review-dialog-focus', { path, contentType: 'image/png' });

  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('fal-records-result')).toContainText('FAL lists no request for “robot-toy.jpg” yet');
  await expect(dialog).toBeVisible();
  expect(await callsTo(page, 'reconcile:run')).toHaveLength(1);
  expect(await callsTo(page, 'jobs:retry')).toEqual([]);

  // FAL's records settle it (the app follows the request): only Close is left, and it has the focus.
  await moveJob(page, 'robot-toy', { state: 'running', falRequestId: 'req-robot-1', errorCode: null, errorMessage: null, finishedAt: null, progress: 20 });
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  // The followed job then fails at FAL while the dialog is still open: "Generate again" comes back
  // without the focus (Cancel takes it), so the Enter meant for Close does not pay.
  await moveJob(page, 'robot-toy', { state: 'failed', errorCode: 'fal_failed', errorMessage: 'FAL could not make a model from this photo.', finishedAt: Date.now(), requestFinished: true });
  await expect(dialog.getByRole('button', { name: /^Generate again/ })).toBeVisible();
  await expect(dialog.getByRole('button', { name: /^Generate again/ })).not.toBeFocused();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  const back = test.info().outputPath('review-dialog-generate-back.png');
  await page.screenshot({ path: back });
  await test.info().attach('review-dialog-generate-back', { path: back, contentType: 'image/png' });
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  expect(await callsTo(page, 'jobs:retry')).toEqual([]);
});

test('retrying a failed job FAL ran (charged again): the confirmation opens on Cancel; Enter closes it without paying', async ({ page }) => {
  const failed = mockJob('teapot', {
    state: 'failed',
    falRequestId: 'req-teapot-1',
    requestFinished: true,
    errorCode: 'fal_failed',
    errorMessage: 'FAL could not make a model from this photo.',
    finishedAt: Date.now() - 60_000,
  });
  await openMockApp(page, defaultScenario({ jobs: [failed] }));
  await page.getByTestId('job-row').getByRole('button', { name: 'Generate teapot.jpg again' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: /^Generate again \(≈ \$0\.30\)$/ })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  // Only the first, unconfirmed ask (the core answered "confirmation required"): nothing confirmed.
  expect(await callsTo(page, 'jobs:retry')).toEqual([{ id: 'teapot', confirm: false, mode: 'generate' }]);
  await expect(page.getByTestId('job-row')).toHaveAttribute('data-state', 'failed');
});

test('"Make again anyway" (already made): the confirmation opens on Cancel; Enter closes it without queuing a paid job', async ({ page }) => {
  await openMockApp(page, defaultScenario({ library: { generate: 1 } }));
  await dropFiles(page, page.getByTestId('drop-zone'), [{ name: 'dup-vase.jpg', mime: 'image/jpeg', bytes: Buffer.from('ffd8ffe0', 'hex') }]);
  await page.getByTestId('intake-duplicates').getByRole('button', { name: 'Make again anyway' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: /^Make again/ })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  const adds = await callsTo(page, 'jobs:add');
  expect(adds).toHaveLength(1);
  expect(adds[0]!.force).toBeFalsy();
});

test('"Make with another generator" (a paid new job): the focus opens on the generator, and Enter queues nothing', async ({ page }) => {
  await openMockApp(page, defaultScenario({ library: { generate: 3 } }));
  await page.getByRole('button', { name: 'Library' }).click();
  await page.getByTestId('model-card').first().click();
  await page.getByRole('button', { name: 'Make with another generator…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('remake-generator')).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape'); // closes the list if Enter opened it
  expect(await callsTo(page, 'library:remake')).toEqual([]);
});

// Nor does a paid action look like the default: "Generate again (≈ $…)" is not the filled accent button
// a primary action is, nor the plain one Cancel is, but a cautionary one (the warning colours), its
// words readable (4.5:1) in both themes.
for (const scheme of ['light', 'dark'] as const) {
  test(`"Review and retry…" (${scheme}): the paid "Generate again" is styled as a cautionary action, not as the primary one`, async ({ page }) => {
    const lost = mockJob('robot-toy', {
      state: 'needs_attention',
      errorCode: 'submit_unconfirmed',
      errorMessage: 'The connection broke before FAL answered, so the app cannot tell whether FAL received this job.',
      finishedAt: Date.now() - 60_000,
    });
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario({ jobs: [lost] }));
    await page.getByTestId('job-row').getByRole('button', { name: 'Review and retry…' }).click();
    const dialog = page.getByRole('dialog');
    const paid = dialog.getByRole('button', { name: /^Generate again \(≈ \$0\.30\)$/ });
    await expect(paid).toBeVisible();
    await page.mouse.move(0, 0); // no hover colour
    const look = await paid.evaluate((button) => {
      const style = (el: Element) => getComputedStyle(el);
      const cancel = [...button.parentElement!.querySelectorAll('button')].find((b) => b.textContent === 'Cancel')!;
      // The theme's accent, as a primary button is filled with it.
      const probe = document.createElement('button');
      probe.className = 'button button-primary';
      button.parentElement!.append(probe);
      const primary = style(probe).backgroundColor;
      probe.remove();
      return {
        background: style(button).backgroundColor,
        border: style(button).borderColor,
        color: style(button).color,
        primary,
        cancel: { background: style(cancel).backgroundColor, border: style(cancel).borderColor, color: style(cancel).color },
      };
    });
    expect(look.background).not.toBe(look.primary);
    // Distinct from a plain secondary button too: it says "careful", not just "another choice".
    expect([look.background, look.border, look.color]).not.toEqual([look.cancel.background, look.cancel.border, look.cancel.color]);
    const [r, g, b] = parseRgb(look.color);
    const [br, bg, bb] = parseRgb(look.background);
    expect(contrastRatio([r, g, b], [br, bg, bb])).toBeGreaterThanOrEqual(4.5);
    const path = test.info().outputPath(`review-dialog-paid-${scheme}.png`);
    await page.screenshot({ path });
    await test.info().attach(`review-dialog-paid-${scheme}`, { path, contentType: 'image/png' });
  });
}
