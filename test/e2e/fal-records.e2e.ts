// A job whose submit answer was lost (FAL accepted it, the connection broke before the answer) needs
// attention. Its review dialog offers "Check FAL's records now" (reconcile:run, through the browser
// transport, the real core and the fake FAL platform API): it says why it cannot check (the key may
// not read the request history; no key at all) and, once it can, that FAL had received the job - which
// the app then follows, sent once. Light and dark screenshots of each answer.
import { expect, test, type Page } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { dropFiles } from './support/page-helpers';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const KEY = 'e2e-fal-key-0123456789';

async function themedShots(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.waitForTimeout(300); // colour transitions (screenshots only; no assertion depends on it)
    const path = test.info().outputPath(`${name}-${scheme}.png`);
    await page.screenshot({ path });
    await test.info().attach(`${name}-${scheme}`, { path, contentType: 'image/png' });
  }
}

/** Drops a photo whose submit FAL accepts while the answer is lost: the job ends needing attention. */
async function lostSubmit(page: Page, fake: FakeFal) {
  fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
  await dropFiles(page, page.getByTestId('drop-zone'), [{ name: 'robot-toy.png', mime: 'image/png', bytes: await makeTestPng(640, 640, { alpha: true, seed: 5 }) }]);
  const row = page.getByTestId('job-row');
  // A loaded machine can take a while to take the photo in and send it.
  await expect(row).toHaveAttribute('data-state', 'needs_attention', { timeout: 60_000 });
  expect(fake.submissions).toHaveLength(1);
  return row;
}

test.describe.configure({ timeout: 180_000 });

let fake: FakeFal | undefined;
let app: RunningWebApp | undefined;
test.afterEach(async () => {
  await app?.stop();
  await fake?.close();
  app = undefined;
  fake = undefined;
});

test('"Check FAL\'s records now": a key that may not read the history says so; once it may, the job FAL had received is followed, not sent again', async ({ page }) => {
  fake = await startFakeFal({ holdJobs: true, platform: { denyRequestHistory: true } });
  app = await launchWebApp({ falProxy: fake.url, env: { FAL_KEY: KEY } });
  await page.goto(app.appUrl);
  const row = await lostSubmit(page, fake);

  await row.getByRole('button', { name: 'Review and retry…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Generate “robot-toy.png” again?');
  const result = dialog.getByTestId('fal-records-result');
  await expect(result).toBeEmpty();
  // Nothing found yet takes no room: the box ends at its padding under the button (an empty gap showed there).
  const below = await dialog.getByTestId('fal-records-check').evaluate((box) => box.getBoundingClientRect().bottom - box.querySelector('button')!.getBoundingClientRect().bottom);
  expect(below).toBeLessThanOrEqual(12);
  // From the keyboard: the focus stays on the button through the check (a disabled button dropped it).
  await dialog.getByRole('button', { name: "Check FAL's records now" }).focus();
  await page.keyboard.press('Enter');
  await expect(result).toContainText("Your FAL key may not read FAL's request history, so the app cannot tell whether FAL received “robot-toy.png”.");
  await expect(result).toContainText('The app also checks again by itself at');
  await expect(result.getByRole('button', { name: 'Open Settings' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: "Check FAL's records again" })).toBeFocused();
  // Nothing settled: it still asks before a paid retry.
  await expect(dialog.getByRole('button', { name: /^Generate again/ })).toBeVisible();
  await themedShots(page, 'fal-records-no-permission');

  // The key may read the history now: the next check finds the request FAL received.
  fake.setPlatform({ denyRequestHistory: false });
  const requestId = fake.submissions[0]!.requestId;
  await page.keyboard.press('Enter');
  await expect(result).toContainText(`FAL had received “robot-toy.png” (request ${requestId}): the app follows that request now. Nothing is sent or charged twice.`);
  await expect(result).not.toContainText('may not read');
  // The job is followed (FAL holds it running): nothing left to generate again, only Close.
  await expect(row).toHaveAttribute('data-state', /submitted|running/);
  await expect(dialog.getByRole('heading')).toHaveText(/^“robot-toy\.png”: (Sent to FAL|Generating)$/);
  await expect(dialog.getByRole('button', { name: /^Generate again/ })).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: /^Check FAL's records/ })).toHaveCount(0);
  // The focus went with the check button: Close takes it.
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await themedShots(page, 'fal-records-found');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);

  fake.completeNow(requestId);
  await expect(row).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  expect(fake.submissions).toHaveLength(1);
});

test('"Check FAL\'s records now" without a FAL key asks for one in Settings', async ({ page }) => {
  fake = await startFakeFal({ holdJobs: true });
  app = await launchWebApp({ falProxy: fake.url });
  await page.goto(app.appUrl);
  // A key saved in Settings, then removed once the job needs attention.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByTestId('key-input').fill(KEY);
  await page.getByRole('button', { name: 'Save key' }).click();
  await expect(page.getByTestId('key-status')).toContainText('Key ending in 6789');
  await page.getByRole('button', { name: 'Create' }).click();
  const row = await lostSubmit(page, fake);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByTestId('key-status').getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove key' }).click();
  await expect(page.getByTestId('key-status')).toContainText('No key set');
  await page.getByRole('button', { name: 'Create' }).click();

  await row.getByRole('button', { name: 'Review and retry…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: "Check FAL's records now" }).click();
  const result = dialog.getByTestId('fal-records-result');
  await expect(result).toContainText("No FAL key is set, so the app cannot look in FAL's records for “robot-toy.png”. Add your FAL key in Settings, then check again.");
  await themedShots(page, 'fal-records-no-key');
  await result.getByRole('button', { name: 'Open Settings' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  expect(fake.submissions).toHaveLength(1);
});
