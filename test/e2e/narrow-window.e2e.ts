// A narrow window (900 x 700) keeps every control on screen and readable: the library toolbar wraps
// instead of pushing "Export all…" off the edge, the details pane's format buttons fit it, and the
// Stats period switch keeps "7 days" on one line. Screenshots in light and dark are kept as artifacts.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { defaultScenario, mockJob, openMockApp } from './support/mock-app';
import { launchWebApp } from './support/web-app';

async function shot(page: Page, name: string) {
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

/** Fails when the element reaches past the right edge of `within` (the window when omitted). */
async function expectInside(page: Page, element: Locator, within?: Locator) {
  const box = (await element.boundingBox())!;
  const right = within ? ((await within.boundingBox())!.x + (await within.boundingBox())!.width) : page.viewportSize()!.width;
  expect(box.x + box.width, `${await element.textContent()} ends past the edge`).toBeLessThanOrEqual(right + 0.5);
}

test.use({ viewport: { width: 900, height: 700 } });

test('library in a wide window: the toolbar stays one row next to the title', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openMockApp(page, defaultScenario({ library: { generate: 40 } }));
  await page.getByRole('button', { name: 'Library' }).click();
  const search = (await page.getByPlaceholder('Search by name, source or tag').boundingBox())!;
  const exportAll = (await page.getByRole('button', { name: 'Export all…' }).boundingBox())!;
  expect(Math.abs(search.y + search.height / 2 - (exportAll.y + exportAll.height / 2))).toBeLessThan(2);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`library in a narrow window: toolbar and details buttons stay on screen (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario({ library: { generate: 40 } }));
    await page.getByRole('button', { name: 'Library' }).click();
    await expect(page.getByTestId('model-card').first()).toBeVisible();
    await expectInside(page, page.getByRole('button', { name: 'Export all…' }));
    await page.getByTestId('model-card').nth(1).click();
    const details = page.getByTestId('model-details');
    await expect(details).toBeVisible();
    for (const name of ['Export GLB', 'Export OBJ', 'Export STL', 'Export studio…']) await expectInside(page, details.getByRole('button', { name }), details);
    // The three formats share the row equally.
    const widths = await Promise.all(['Export GLB', 'Export OBJ', 'Export STL'].map(async (name) => Math.round((await details.getByRole('button', { name }).boundingBox())!.width)));
    expect(new Set(widths).size).toBe(1);
    await shot(page, `narrow-library-details-${scheme}`);
    await page.getByPlaceholder('Search by name, source or tag').fill('no such model');
    await expect(page.getByText('No models match')).toBeVisible();
    await expectInside(page, page.getByRole('button', { name: 'Export matches…' }));
    await shot(page, `narrow-library-no-match-${scheme}`);
  });
}

test('stats in a narrow window: the period switch keeps each label on one line', async ({ page }) => {
  const app = await launchWebApp();
  try {
    await page.goto(app.appUrl);
    await page.getByRole('button', { name: 'Stats' }).click();
    const period = page.getByRole('radiogroup').first();
    await expect(period).toBeVisible();
    const heights = await period.locator('label').evaluateAll((labels) => labels.map((l) => l.getBoundingClientRect().height));
    const line = await period.locator('label').first().evaluate((l) => parseFloat(getComputedStyle(l).lineHeight) + parseFloat(getComputedStyle(l).paddingTop) + parseFloat(getComputedStyle(l).paddingBottom));
    for (const height of heights) expect(height).toBeLessThanOrEqual(line + 1);
    await shot(page, 'narrow-stats-light');
  } finally {
    await app.stop();
  }
});

// A search that found nothing kept the model opened before it in the details pane.
for (const scheme of ['light', 'dark'] as const) {
  test(`library: a search that finds nothing empties the details pane (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario({ library: { generate: 12 } }));
    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByTestId('model-card').first().click();
    await expect(page.getByTestId('model-details')).toBeVisible();
    await page.getByPlaceholder('Search by name, source or tag').fill('no such model');
    await expect(page.getByText('No models match')).toBeVisible();
    await expect(page.getByTestId('model-details')).toHaveCount(0);
    await shot(page, `narrow-library-search-nothing-${scheme}`);
  });
}

const now = Date.now();
const queueJobs = [
  // What intake says about a small photo, shown beside the job's place in line.
  mockJob('small-photo', { state: 'queued', message: 'holiday-snapshot-from-the-beach.jpg is only 320 x 240 px; results are better from images at least 512 px on each side.' }),
  mockJob('broken-photo', {
    state: 'failed',
    errorMessage: 'The object could not be separated from the background. Try a photo on a plain background.',
    startedAt: now - 60_000,
    finishedAt: now - 50_000,
  }),
  mockJob('busy-job', { state: 'running', progress: 40, message: 'Generating texture', startedAt: now - 20_000 }),
];
const queueScenario = () => defaultScenario({ jobs: queueJobs, queue: { status: 'running', message: null, running: 1, queued: 1, resumesAt: null } });

// A failed job showed an empty grey progress bar under its error.
for (const scheme of ['light', 'dark'] as const) {
  test(`queue: a failed job shows its error with no empty progress bar (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, queueScenario());
    await expect(page.locator('[data-job-id="broken-photo"]').getByTestId('job-detail')).toContainText('plain background');
    await expect(page.locator('[data-job-id="broken-photo"]').getByRole('progressbar')).toHaveCount(0);
    await expect(page.locator('[data-job-id="busy-job"]').getByRole('progressbar')).toHaveCount(1);
    await page.locator('[data-job-id="broken-photo"]').scrollIntoViewIfNeeded();
    await shot(page, `queue-failed-no-bar-${scheme}`);
  });
}

// A waiting job's message says what it waits for or what is odd about its photo; at 900 px it was cut
// off after a few words.
for (const scheme of ['light', 'dark'] as const) {
  test(`queue in a narrow window: a waiting job's whole message shows (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, queueScenario());
    const waiting = page.locator('[data-job-id="small-photo"]').getByTestId('job-detail');
    await expect(waiting).toContainText('at least 512 px on each side.');
    // Every word of it is on screen: nothing is clipped by an ellipsis.
    expect(await waiting.evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight + 1)).toBe(true);
    await expectInside(page, waiting);
    await waiting.scrollIntoViewIfNeeded();
    await shot(page, `narrow-queue-waiting-${scheme}`);
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`a narrow viewer keeps "Loading model…" on one line (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario({ library: { generate: 4 } }));
    // The model's file is held back, so the viewer stays loading (routes added last are asked first).
    await page.route('**/files/model/**', () => {});
    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByTestId('model-card').first().click();
    const status = page.locator('.mv-status');
    await expect(status).toHaveText('Loading model…');
    // Placed from the middle of the viewer, the pill could take only half its width and broke in two lines.
    const viewer = (await page.locator('.mv').boundingBox())!;
    const pill = (await status.boundingBox())!;
    const lineHeight = await status.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 20);
    expect(pill.height, `pill ${Math.round(pill.width)} px wide in a ${Math.round(viewer.width)} px viewer`).toBeLessThan(2 * lineHeight);
    expect(pill.x + pill.width).toBeLessThanOrEqual(viewer.x + viewer.width);
    await shot(page, `viewer-loading-narrow-${scheme}`);
  });
}

/**
 * How wide the search box's hint is and how much room the box has for it: the hint is put in as the
 * box's text for a moment (no input event, so the page does not search), where the box's scroll width
 * counts what the browser keeps beside it (its clear button) as well as the padding.
 */
const placeholderFits = (page: Page) =>
  page.getByPlaceholder('Search by name, source or tag').evaluate((input: HTMLInputElement) => {
    const typed = input.value;
    input.value = input.placeholder;
    const text = input.scrollWidth;
    input.value = typed;
    return { text, room: input.clientWidth };
  });

test('library search: its whole hint shows in a narrow and a wide window', async ({ page }) => {
  await openMockApp(page, defaultScenario({ library: { generate: 12 } }));
  await page.getByRole('button', { name: 'Library' }).click();
  await page.getByTestId('model-card').first().click();
  // At 900 px the toolbar wraps under the title and the box had shrunk to "Search by name, sourc".
  for (const width of [900, 1024, 1280]) {
    await page.setViewportSize({ width, height: 700 });
    const { text, room } = await placeholderFits(page);
    expect(text, `at ${width} px the hint needs ${text} px, the box has ${room}`).toBeLessThanOrEqual(room);
    await expectInside(page, page.getByRole('button', { name: 'Export all…' }));
  }
  await page.setViewportSize({ width: 900, height: 700 });
  await shot(page, 'narrow-library-search-light');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`a narrow viewer opens its panels below its toolbar, which wraps to two rows (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario({ library: { generate: 3 } }));
    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByTestId('model-card').first().click();
    await expect(page.locator('.mv[data-status="ready"]')).toBeVisible({ timeout: 30_000 });
    for (const name of ['Inspector', 'Textures']) {
      await page.getByRole('button', { name, exact: true }).click();
      const panel = page.locator('.mv-panel');
      await expect(panel).toBeVisible();
      // The panel started 64 px down, over the toolbar's second row: its own button (to close it) was under it.
      const toolbar = (await page.locator('.mv-toolbar').boundingBox())!;
      const box = (await panel.boundingBox())!;
      expect(box.y, `${name} panel top vs toolbar bottom ${Math.round(toolbar.y + toolbar.height)}`).toBeGreaterThanOrEqual(toolbar.y + toolbar.height);
      await page.mouse.move(0, 0);
      await shot(page, `narrow-viewer-${name.toLowerCase()}-${scheme}`);
      await page.getByRole('button', { name, exact: true }).click();
      await expect(panel).toHaveCount(0);
    }
  });
}
