// The Stats view in Debian Chromium over the browser transport, on the real core: empty at first,
// then charts from request statistics seeded into the app's database (as the engine records them).
// Screenshots in light and dark are kept as test artifacts.
import { expect, test, type Page } from '@playwright/test';
import { openDatabase } from '../../src/core/db/open';
import { createStatsRecorder, type RequestOutcome } from '../../src/core/stats';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const DAY = 86_400_000;
const TRELLIS = 'fal-ai/trellis';
const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const HUNYUAN = 'fal-ai/hunyuan3d-v21';

async function shot(page: Page, name: string) {
  await page.waitForTimeout(150); // let transitions settle (screenshots only)
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

/** Three weeks of requests across three models, with failures, an uncertain submit and 429s. */
function seed(dataDir: string): void {
  const db = openDatabase(dataDir);
  const recorder = createStatsRecorder(db);
  const now = Date.now();
  let n = 0;
  const add = (o: Partial<RequestOutcome> & { endpoint: string; daysAgo: number; seconds: number }) => {
    const finishedAt = now - o.daysAgo * DAY - (n % 7) * 60_000;
    recorder.recordRequestOutcome({
      jobId: `job-${n}`,
      requestId: `req-${n++}`,
      status: 'succeeded',
      startedAt: finishedAt - o.seconds * 1000,
      finishedAt,
      estimatedCostUsd: o.status && o.status !== 'succeeded' ? null : o.endpoint === TRIPO ? 0.3 : o.endpoint === HUNYUAN ? 0.16 : 0.02,
      ...o,
    });
  };
  for (let day = 0; day < 21; day++) {
    for (let i = 0; i < (day % 5) + 2; i++) add({ endpoint: TRELLIS, daysAgo: day, seconds: 8 + ((day * 7 + i * 13) % 50) });
    if (day % 2 === 0) add({ endpoint: TRIPO, daysAgo: day, seconds: 45 + ((day * 11) % 90) });
    if (day % 3 === 0) add({ endpoint: HUNYUAN, daysAgo: day, seconds: 25 + day });
  }
  add({ endpoint: TRELLIS, daysAgo: 1, seconds: 3, status: 'failed', errorType: 'server_error', requestId: null });
  add({ endpoint: TRELLIS, daysAgo: 2, seconds: 3, status: 'failed', errorType: 'server_error', requestId: null });
  add({ endpoint: TRIPO, daysAgo: 4, seconds: 200, status: 'failed', errorType: 'run_failed' });
  add({ endpoint: TRIPO, daysAgo: 9, seconds: 720, status: 'failed', errorType: 'fal_timeout' });
  add({ endpoint: HUNYUAN, daysAgo: 3, seconds: 1, status: 'uncertain', errorType: 'submit_uncertain', requestId: null });
  add({ endpoint: TRELLIS, daysAgo: 5, seconds: 30, status: 'canceled' });
  for (let i = 0; i < 5; i++) recorder.recordRateLimit(TRELLIS, now - i * DAY);
  recorder.recordRateLimit(TRIPO, now - 2 * DAY);
  db.close();
}

let app: RunningWebApp;
test.beforeEach(async () => {
  app = await launchWebApp();
});
test.afterEach(async () => app?.stop());

test('Stats: empty state, then charts of recorded requests in light and dark', async ({ page }) => {
  const cspErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
  });
  await page.setViewportSize({ width: 1280, height: 1380 }); // the whole view in one screenshot
  await page.goto(app.appUrl);
  await page.getByRole('button', { name: 'Stats' }).click();
  await expect(page.getByRole('heading', { name: 'Stats', level: 1 })).toBeVisible();
  await page.getByRole('radio', { name: 'All time' }).check();
  await expect(page.getByText('No FAL requests yet')).toBeVisible();
  await shot(page, 'stats-empty-light');

  seed(app.dataDir);
  await page.getByRole('radio', { name: '30 days' }).check();

  const tiles = page.getByRole('definition');
  await expect(page.getByTestId('stats-models')).toBeVisible();
  await expect(tiles.nth(0)).toHaveText('106'); // 100 succeeded + 6 others
  await expect(page.getByTestId('stats-models').getByRole('img')).toHaveAttribute('aria-label', /TRELLIS 82 succeeded, 2 failed, 0 uncertain, 1 canceled/);
  await expect(page.getByTestId('stats-errors').getByRole('img')).toHaveAttribute('aria-label', /FAL server error 2/);
  await expect(page.getByTestId('stats-errors')).toContainText('Generation failed');
  await expect(page.getByTestId('stats-rate-limits').getByRole('img')).toHaveAttribute('aria-label', /TRELLIS 5/);
  await expect(page.getByTestId('stats-durations').locator('rect.chart-fill')).not.toHaveCount(0);
  await expect(page.getByTestId('stats-spend').locator('path.chart-line')).toHaveAttribute('d', /^M.+L/);
  await shot(page, 'stats-light');

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot(page, 'stats-dark');

  // A shorter period shows less.
  await page.getByRole('radio', { name: '7 days' }).check();
  await expect(tiles.nth(0)).not.toHaveText('106');
  expect(cspErrors).toEqual([]);
});
