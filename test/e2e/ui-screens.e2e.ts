// Every screen in light and dark, from a scripted window.api (see support/mock-app.ts), saved as test
// artifacts so the look can be reviewed. Also checks what those screens promise: the paused-queue
// banner offers its fix, a job that needs attention asks before retrying, and the About panel opens.
import { expect, test, type Page } from '@playwright/test';
import type { Job } from '../../src/shared/domain';
import { dropFiles } from './support/page-helpers';
import { rangeStart } from '../../src/renderer/src/features/stats/stats-data';
import { defaultScenario, mockJob, mockLocalDay, openMockApp, type MockScenario } from './support/mock-app';

const NOW = Date.now();
const job = mockJob;

const busyJobs: Job[] = [
  job('ceramic-vase', { state: 'running', progress: 62, message: 'Generating texture', startedAt: NOW - 48_000 }),
  job('garden-gnome', { state: 'submitted', progress: 10, queuePosition: 3, startedAt: NOW - 9_000 }),
  job('desk-lamp', { state: 'queued', endpoint: 'fal-ai/trellis', estimatedCostUsd: 0.02 }),
  job('teapot', { state: 'queued', preset: 'high', estimatedCostUsd: 0.4 }),
  job('sneaker', { state: 'succeeded', progress: 100, startedAt: NOW - 400_000, finishedAt: NOW - 310_000, modelId: 'm00002' }),
  job('robot-toy', {
    state: 'needs_attention',
    errorCode: 'ambiguous_submit',
    errorMessage: 'The app closed while sending this job to FAL, so it is not known whether FAL received it.',
    startedAt: NOW - 900_000,
    finishedAt: NOW - 880_000,
  }),
  job('owl-photo', {
    state: 'failed',
    endpoint: 'offline/relief',
    estimatedCostUsd: 0,
    errorMessage: 'The object could not be separated from the background. Try a photo on a plain background.',
    startedAt: NOW - 1_000_000,
    finishedAt: NOW - 990_000,
  }),
  job('helmet', { state: 'canceled', startedAt: NOW - 2_000_000, finishedAt: NOW - 1_990_000 }),
];

async function shot(page: Page, name: string) {
  await page.waitForTimeout(150); // let transitions settle (screenshots only; no assertion depends on it)
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

type AddCall = { items: { kind: string; name?: string }[]; endpoint?: string; force?: boolean };
const addCalls = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { __mock: { calls: { channel: string; input: AddCall }[] } }).__mock.calls.filter((c) => c.channel === 'jobs:add').map((c) => c.input),
  );

async function open(page: Page, scenario: MockScenario, scheme: 'light' | 'dark') {
  await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
  await openMockApp(page, scenario);
  await expect(page.getByRole('heading', { name: 'Create', level: 1 })).toBeVisible();
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} theme`, () => {
    test('create: empty state teaches what to do', async ({ page }) => {
      await open(page, defaultScenario(), scheme);
      await expect(page.getByText('Drop images here')).toBeVisible();
      await expect(page.getByText('Nothing in the queue yet')).toBeVisible();
      await shot(page, `create-empty-${scheme}`);
    });

    test('create: a busy queue with every kind of job', async ({ page }) => {
      await open(page, defaultScenario({ jobs: busyJobs, queue: { status: 'running', message: null, running: 2, queued: 2, resumesAt: null } }), scheme);
      await expect(page.getByTestId('job-row')).toHaveCount(busyJobs.length);
      await expect(page.locator('[data-job-id="desk-lamp"]')).toContainText('1st in line');
      await expect(page.locator('[data-job-id="teapot"]')).toContainText('2nd in line');
      await expect(page.locator('[data-job-id="garden-gnome"]')).toContainText('4th in FAL’s queue');
      // Rows of every state sit on the list's own surface: no state paints a row solid (its text would be unreadable).
      const backgrounds = await page.getByTestId('job-row').evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-state')}: ${getComputedStyle(row).backgroundColor}`));
      expect(backgrounds.filter((b) => !b.endsWith('rgba(0, 0, 0, 0)'))).toEqual([]);
      await shot(page, `create-queue-${scheme}`);
    });

    test('create: a full queue counts the jobs generating apart from those preparing for a slot', async ({ page }) => {
      // Jobs at the same time: 2. Two generate; two more upload their photo or are ready for a slot; one saves its model.
      const full: Job[] = [
        job('ceramic-vase', { state: 'running', progress: 62, message: 'Generating texture', startedAt: NOW - 48_000 }),
        job('garden-gnome', { state: 'submitted', progress: 10, queuePosition: 2, startedAt: NOW - 9_000 }),
        job('desk-lamp', { state: 'preparing', progress: 8, message: 'Ready; waiting for a free slot (Jobs at the same time)', startedAt: NOW - 6_000 }),
        job('teapot', { state: 'preparing', progress: 4, message: 'Uploading the image', startedAt: NOW - 2_000 }),
        job('sneaker', { state: 'downloading', progress: 95, startedAt: NOW - 90_000 }),
        job('helmet', { state: 'queued' }),
        job('owl', { state: 'queued' }),
      ];
      const settings = { ...defaultScenario().settings, concurrency: 2 };
      await open(page, defaultScenario({ settings, jobs: full, queue: { status: 'running', message: null, running: 5, queued: 2, resumesAt: null } }), scheme);
      await expect(page.getByTestId('job-row')).toHaveCount(full.length);
      await expect(page.getByTestId('queue-counts')).toHaveText('2 generating · 2 preparing · 1 downloading · 2 waiting');
      // The sidebar badge counts the same unfinished jobs and names them in the header's words (it said "7 in progress").
      const badge = page.getByRole('navigation', { name: 'Main' }).locator('.nav-badge');
      await expect(badge).toHaveText('7');
      await expect(badge).toHaveAttribute('aria-label', '7 jobs not finished: 2 generating, 2 preparing, 1 downloading, 2 waiting');
      await expect(page.locator('[data-job-id="desk-lamp"]')).toContainText('Ready; waiting for a free slot');
      await shot(page, `create-queue-full-${scheme}`);
    });

    test('create: the spending cap banner says "reached" only once it is spent', async ({ page }) => {
      const capJobs: Job[] = [
        job('ceramic-vase', { state: 'preparing', progress: 6, message: 'Uploading the image', startedAt: NOW - 3_000 }),
        job('garden-gnome', { state: 'preparing', progress: 8, message: 'Ready; waiting for a free slot (Jobs at the same time)', startedAt: NOW - 3_000 }),
        job('desk-lamp', { state: 'queued' }),
        job('teapot', { state: 'queued' }),
      ];
      const starting = {
        status: 'spending_cap' as const,
        message: "2 jobs already started use up the rest of this month's spending cap and will still run; the other FAL jobs wait until it is raised.",
        running: 2,
        queued: 2,
        resumesAt: null,
        capStarting: 2,
      };
      await open(page, defaultScenario({ jobs: capJobs, queue: starting, cost: { todayUsd: 0, monthUsd: 0, capUsd: 0.5, capReached: false } }), scheme);
      const banner = page.getByTestId('queue-banner');
      await expect(banner.getByRole('heading')).toHaveText('Spending cap almost reached');
      await expect(banner).toContainText('2 jobs already started use up the rest');
      await shot(page, `create-cap-starting-${scheme}`);
      // Both were sent: now it is spent.
      await page.evaluate(() =>
        (window as unknown as { __mock: { emit(event: string, payload: unknown): void } }).__mock.emit('queue:changed', {
          status: 'spending_cap',
          message: "This month's spending cap is reached; FAL jobs wait until it is raised.",
          running: 2,
          queued: 2,
          resumesAt: null,
        }),
      );
      await expect(banner.getByRole('heading')).toHaveText('Spending cap reached');
      await expect(banner).toContainText('spending cap is reached');
    });

    test('create: key rejected banner offers the fix', async ({ page }) => {
      await open(
        page,
        defaultScenario({
          jobs: busyJobs.slice(2, 4),
          queue: { status: 'key_rejected', message: 'FAL answered 401: the key was not accepted. Jobs are paused; nothing was charged.', running: 0, queued: 2, resumesAt: null },
        }),
        scheme,
      );
      const banner = page.getByTestId('queue-banner');
      await expect(banner).toContainText('FAL did not accept your key');
      await shot(page, `create-key-rejected-${scheme}`);
      await banner.getByRole('button', { name: 'Update key' }).click();
      await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
      await expect(page.getByTestId('key-input')).toBeFocused();
    });

    test('create: a disk error pauses the queue until a restart, and says so', async ({ page }) => {
      const message =
        'Paused: the disk reported an error while saving (EIO: i/o error, fsync). Nothing more is sent to FAL; the waiting jobs stay in the queue. Check the disk, then restart Image2Model.';
      await open(page, defaultScenario({ jobs: busyJobs.slice(2, 4), queue: { status: 'disk_error', message, running: 0, queued: 2, resumesAt: null } }), scheme);
      const banner = page.getByTestId('queue-banner');
      await expect(banner.getByRole('heading')).toHaveText('Queue paused: disk error');
      await expect(banner).toContainText('Paused: the disk reported an error while saving (EIO: i/o error, fsync)');
      await expect(banner).toContainText('Check the disk, then restart Image2Model.');
      await expect(page.locator('[data-job-id="desk-lamp"]')).toContainText('Waiting for a restart (the disk reported an error)');
      // The jobs could run offline (named as waiting), but the offline generator saves to the failing disk too.
      await expect(banner.getByTestId('banner-waiting')).toContainText('desk-lamp');
      await expect(banner.getByTestId('run-offline')).toHaveCount(0);
      await shot(page, `create-disk-error-${scheme}`);
    });

    test('create: a save waiting long for the disk is shown, the queue keeps its places', async ({ page }) => {
      const message =
        'Saving to disk is taking unusually long (over 10 s): new jobs and jobs about to be sent to FAL wait until the disk answers. Nothing is lost. If it stays this way, check the disk (free space, errors, a network or USB drive).';
      await open(page, defaultScenario({ jobs: busyJobs.slice(2, 4), queue: { status: 'disk_slow', message, running: 0, queued: 2, resumesAt: null } }), scheme);
      const banner = page.getByTestId('queue-banner');
      await expect(banner.getByRole('heading')).toHaveText('Saving is taking unusually long');
      await expect(banner).toContainText('Nothing is lost.');
      await expect(page.locator('[data-job-id="desk-lamp"]')).toContainText('1st in line');
      await expect(banner.getByTestId('banner-waiting')).toContainText('desk-lamp');
      await expect(banner.getByTestId('run-offline')).toHaveCount(0);
    });

    test('library: grid and the viewer pane', async ({ page }) => {
      await open(page, defaultScenario({ library: { generate: 240 } }), scheme);
      await page.getByRole('button', { name: 'Library' }).click();
      await expect(page.getByTestId('library-count')).toHaveText('240 models');
      await expect(page.getByTestId('model-card').first()).toBeVisible();
      await shot(page, `library-grid-${scheme}`);
      await page.getByTestId('model-card').nth(1).click();
      await expect(page.getByTestId('model-details')).toBeVisible();
      await expect(page.locator('.mv[data-status="ready"]')).toBeVisible({ timeout: 30_000 });
      await shot(page, `library-details-${scheme}`);
    });

    test('create: a drop with refused files and duplicates explains each one', async ({ page }) => {
      await open(page, defaultScenario({ library: { generate: 3 } }), scheme);
      const png = Buffer.from('89504e470d0a1a0a', 'hex');
      await dropFiles(page, page.getByTestId('drop-zone'), [
        { name: 'mug.png', mime: 'image/png', bytes: png },
        { name: 'chair.jpg', mime: 'image/jpeg', bytes: png },
        { name: 'notes.txt', mime: 'text/plain', bytes: Buffer.from('hello') },
        { name: 'dup-vase.png', mime: 'image/png', bytes: png },
      ]);
      const notice = page.getByTestId('intake-notice');
      await expect(notice).toContainText('2 images added');
      await expect(page.getByTestId('rejected-item')).toContainText('notes.txt is not an image');
      await expect(notice).toContainText('already made with these settings');
      await shot(page, `create-intake-${scheme}`);
      // Making an image already made again is charged again: asked first (it used to send at once), then only that image, forced.
      await page.getByTestId('intake-duplicates').getByRole('button', { name: 'Make again anyway' }).click();
      const dialog = page.getByRole('dialog');
      await expect(dialog).toContainText('dup-vase.png was already made with these settings; its model is in your library.');
      await dialog.getByRole('button', { name: 'Make again (≈ $0.30)' }).click();
      await expect(notice).toContainText('1 image added');
      const calls = await addCalls(page);
      expect(calls.at(-1)).toMatchObject({ force: true, items: [{ name: 'dup-vase.png' }] });
      expect(calls.at(-1)!.items).toHaveLength(1);
    });

    test('create: a photo dropped again while its earlier job needs attention: "Make again anyway" asks first, then sends exactly that photo with force', async ({ page }) => {
      const attention = job('robot-toy', {
        state: 'needs_attention',
        errorCode: 'ambiguous_submit',
        errorMessage: 'The app closed while sending this job to FAL, so it is not known whether FAL received it.',
        startedAt: NOW - 900_000,
        finishedAt: NOW - 880_000,
      });
      const running = job('ceramic-vase', { state: 'running', progress: 62, message: 'Generating texture', startedAt: NOW - 48_000 });
      await open(page, defaultScenario({ jobs: [attention, running], queue: { status: 'running', message: null, running: 1, queued: 0, resumesAt: null } }), scheme);
      await dropFiles(page, page.getByTestId('drop-zone'), [{ name: 'robot-toy.jpg', mime: 'image/jpeg', bytes: Buffer.from('ffd8ffe0', 'hex') }]);
      const offer = page.getByTestId('intake-joined-offer');
      await expect(offer).toContainText('robot-toy.jpg joined its earlier job, which needs your attention');
      await expect(page.getByTestId('intake-notice')).not.toContainText('image added');
      await offer.getByRole('button', { name: 'Make again anyway' }).click();
      const dialog = page.getByRole('dialog');
      await expect(dialog.getByRole('heading')).toHaveText('Make “robot-toy.jpg” again?');
      await expect(dialog).toContainText('FAL may already have run it and charged for it.');
      await expect(dialog).toContainText('charged again (≈ $0.30)');
      await shot(page, `create-joined-make-again-${scheme}`);
      // Cancel sends nothing.
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toHaveCount(0);
      expect(await addCalls(page)).toHaveLength(1);
      // Confirmed: exactly that photo, forced, with the drop's generator.
      await offer.getByRole('button', { name: 'Make again anyway' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Make again (≈ $0.30)' }).click();
      await expect(page.getByTestId('intake-notice')).toContainText('1 image added');
      const calls = await addCalls(page);
      expect(calls).toHaveLength(2);
      expect(calls[1]).toMatchObject({ force: true, endpoint: 'tripo3d/tripo/v2.5/image-to-3d', items: [{ kind: 'bytes', name: 'robot-toy.jpg' }] });
      expect(calls[1]!.items).toHaveLength(1);
      await expect(page.getByTestId('job-row')).toHaveCount(3);
    });

    test('library: empty state', async ({ page }) => {
      await open(page, defaultScenario(), scheme);
      await page.getByRole('button', { name: 'Library' }).click();
      await expect(page.getByText('Your models will live here')).toBeVisible();
      await shot(page, `library-empty-${scheme}`);
    });

    test('settings: no key on a system without a keychain', async ({ page }) => {
      await open(
        page,
        defaultScenario({ keyStatus: { set: false, last4: null, source: null, backend: 'basic_text', needsReentry: true, weakProtection: true } }),
        scheme,
      );
      await page.getByRole('button', { name: 'Settings' }).click();
      await expect(page.getByTestId('key-status')).toContainText('No key set');
      await expect(page.getByText('can no longer be read')).toBeVisible();
      await shot(page, `settings-no-key-${scheme}`);
    });

    test('settings', async ({ page }) => {
      await open(page, defaultScenario(), scheme);
      await page.getByRole('button', { name: 'Settings' }).click();
      await expect(page.getByTestId('key-status')).toContainText('Key ending in f3a9');
      await shot(page, `settings-${scheme}`);
      await page.getByRole('main').evaluate((main) => main.scrollTo(0, main.scrollHeight));
      await shot(page, `settings-bottom-${scheme}`);
    });

    test('settings: the watched folder\'s quality names each quality once', async ({ page }) => {
      await open(page, defaultScenario(), scheme);
      await page.getByRole('button', { name: 'Settings' }).click();
      const quality = page.getByRole('radiogroup', { name: 'Watched folder quality' });
      await quality.scrollIntoViewIfNeeded();
      // "Default (Standard)" beside "Standard" named the same quality twice in one row.
      const text = await quality.innerText();
      for (const label of ['Draft', 'Standard', 'High']) expect(text.split(label).length - 1, `"${label}" in "${text}"`).toBe(1);
      await expect(quality.getByRole('radio', { name: 'Default', exact: true })).toBeChecked();
      // What the default is now is still said, beside the row.
      const row = page.locator('#settings-watch .setting-row').filter({ has: quality });
      await expect(row.locator('.setting-help')).toContainText('now Standard');
      await shot(page, `settings-watch-${scheme}`);
      await quality.getByText('High').click();
      await expect(quality.getByRole('radio', { name: 'High' })).toBeChecked();
      await expect(row.locator('.setting-help')).not.toContainText('now Standard');
    });

    test('stats: the figures of the recorded requests, per period', async ({ page }) => {
      const scenario = defaultScenario();
      // What the page should count: requests on the local days the period touches (src/core/stats/report.ts).
      const countSince = (from: number) => scenario.stats.requests.filter((r) => mockLocalDay(r.finishedAt) >= mockLocalDay(from)).length;
      await page.setViewportSize({ width: 1280, height: 1380 }); // the whole view in one screenshot
      await open(page, scenario, scheme);
      await page.getByRole('button', { name: 'Stats' }).click();
      await expect(page.getByRole('heading', { name: 'Stats', level: 1 })).toBeVisible();
      await expect(page.getByTestId('stats-models')).toBeVisible();
      await expect(page.getByRole('alert')).toHaveCount(0);
      const tiles = page.getByRole('definition');
      await expect(tiles.nth(0)).toHaveText(String(countSince(rangeStart('30d', Date.now())!)));
      await expect(page.getByTestId('stats-errors').getByRole('img')).toHaveAttribute('aria-label', /Server error/i);
      await shot(page, `stats-${scheme}`);
      await page.getByRole('radio', { name: '7 days' }).check();
      await expect(tiles.nth(0)).toHaveText(String(countSince(rangeStart('7d', Date.now())!)));
    });
  });
}

test('stats with no requests at all says none were sent yet, not to choose a longer period', async ({ page }) => {
  // A first run: nothing was ever sent to FAL, and the page opens on 30 days.
  await open(page, defaultScenario({ stats: { ...defaultScenario().stats, requests: [], rateLimits: [] } }), 'dark');
  await page.getByRole('button', { name: 'Stats' }).click();
  await expect(page.getByRole('radio', { name: '30 days' })).toBeChecked();
  await expect(page.getByText('No FAL requests yet')).toBeVisible();
  await expect(page.getByText('Choose a longer period')).toHaveCount(0);
  await shot(page, 'stats-none-yet-dark');
});

test('stats with requests only before the period offers a longer period', async ({ page }) => {
  const now = Date.now();
  const old = { endpoint: 'fal-ai/trellis', status: 'succeeded' as const, finishedAt: now - 60 * 86_400_000, seconds: 20, estimatedUsd: 0.02 };
  await open(page, defaultScenario({ stats: { ...defaultScenario().stats, requests: [old], rateLimits: [] } }), 'light');
  await page.getByRole('button', { name: 'Stats' }).click();
  await expect(page.getByText('No FAL requests in this period')).toBeVisible();
  await expect(page.getByText('Choose a longer period to see older requests.')).toBeVisible();
  await shot(page, 'stats-none-in-period-light');
  await page.getByRole('radio', { name: '90 days' }).check();
  await expect(page.getByRole('definition').first()).toHaveText('1');
});

test('a channel the window cannot call, or one that breaks, says so in plain words (not "n is not a function")', async ({ page }) => {
  await open(page, defaultScenario(), 'light');
  // As a window whose api lacks the channel (an older preload, a test double without it).
  await page.evaluate(() => delete (window as unknown as { api: Record<string, unknown> }).api['stats:get']);
  await page.getByRole('button', { name: 'Stats' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not load the stats: The app could not answer this request (stats:get).');
  await expect(alert).not.toContainText('is not a function');
  await shot(page, 'stats-missing-channel-light');

  // A call that throws instead of answering: the same sentence, once the next refresh runs.
  await page.getByRole('button', { name: 'Create' }).click();
  await page.evaluate(() => {
    (window as unknown as { api: Record<string, unknown> }).api['stats:get'] = () => {
      throw new TypeError('n is not a function');
    };
  });
  await page.getByRole('button', { name: 'Stats' }).click();
  await expect(alert).toContainText('(stats:get). Restart the app');
  await expect(alert).not.toContainText('is not a function');
});

test('create: no key and jobs waiting for one: the banner runs them offline; another button switches the chooser', async ({ page }) => {
  const scenario = defaultScenario({
    keyStatus: { set: false, last4: null, source: null, backend: 'gnome_libsecret', needsReentry: false, weakProtection: false },
    // Tripo chosen on purpose, so new photos wait for a key too until the user says otherwise.
    settings: { ...defaultScenario().settings, defaultModelChosen: true },
    // An offline job added after the two FAL ones: it runs first, as the core claims only offline work without a key.
    jobs: [...busyJobs.slice(2, 4), job('pebble', { endpoint: 'offline/relief', estimatedCostUsd: 0, createdAt: NOW - 60_000 })],
    queue: { status: 'no_key', message: null, running: 0, queued: 3, resumesAt: null },
  });
  await open(page, scenario, 'light');
  const banner = page.getByTestId('queue-banner');
  await expect(banner).toContainText('Add a FAL key to start these jobs');
  await expect(page.getByTestId('banner-waiting')).toHaveText('Waiting: desk-lamp.jpg and teapot.jpg.');
  // Jobs waiting for a key say so; places count only the jobs that can run.
  const detail = (id: string) => page.locator(`[data-job-id="${id}"]`).getByTestId('job-detail');
  await expect(detail('desk-lamp')).toHaveText('Waiting for a FAL key');
  await expect(detail('teapot')).toHaveText('Waiting for a FAL key');
  await expect(detail('pebble')).toHaveText('1st in line');
  await shot(page, 'create-no-key-light');
  await banner.getByRole('button', { name: 'Use offline for new photos' }).click();
  await expect(page.getByTestId('model-select')).toHaveValue('offline/relief');
  await expect(page.getByTestId('price-estimate')).toContainText('Free');
  await expect(page.getByTestId('approximation-label')).toBeVisible();

  await banner.getByRole('button', { name: 'Run these 2 jobs offline now' }).click();
  for (const id of ['desk-lamp', 'teapot']) {
    const select = page.locator(`[data-job-id="${id}"]`).getByTestId('job-model-select');
    await expect(select).toHaveValue('offline/relief');
    await expect(select.locator('option:checked')).toHaveText('Relief (offline) · Free');
  }
  await expect(banner).toBeHidden();
  // Offline now, both can run: they take their places ahead of the newer job.
  await expect(detail('desk-lamp')).toHaveText('1st in line');
  await expect(detail('teapot')).toHaveText('2nd in line');
  await expect(detail('pebble')).toHaveText('3rd in line');
  const switched = await page.evaluate(() => (window as unknown as { __mock: { calls: { channel: string; input: unknown }[] } }).__mock.calls.filter((c) => c.channel === 'jobs:setModel'));
  expect(switched).toEqual([
    { channel: 'jobs:setModel', input: { id: 'desk-lamp', endpoint: 'offline/relief' } },
    { channel: 'jobs:setModel', input: { id: 'teapot', endpoint: 'offline/relief' } },
  ]);
});

test('a job that needs attention explains itself and asks before retrying', async ({ page }) => {
  await open(page, defaultScenario({ jobs: busyJobs }), 'light');
  const row = page.locator('[data-job-id="robot-toy"]');
  await expect(row).toContainText('not known whether FAL received it');
  await row.getByRole('button', { name: 'Review and retry…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('charged again');
  await shot(page, 'retry-confirm-light');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await row.getByRole('button', { name: 'Review and retry…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: /^Generate again/ }).click();
  await expect(row).toHaveAttribute('data-state', 'queued');
  const retryCall = await page.evaluate(() => (window as unknown as { __mock: { calls: { channel: string; input: unknown }[] } }).__mock.calls.filter((c) => c.channel === 'jobs:retry'));
  expect(retryCall).toEqual([{ channel: 'jobs:retry', input: { id: 'robot-toy', confirm: true, mode: 'generate' } }]);
});

test('keyboard: visible focus, and files dragged over the window show where to drop', async ({ page }) => {
  await open(page, defaultScenario({ jobs: busyJobs.slice(0, 3) }), 'light');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Library' })).toBeFocused();
  // The rest of the sidebar (its entries grow with the app), then the drop zone's button.
  const choose = page.getByRole('button', { name: 'Choose images…' });
  for (let presses = 0; presses < 8 && !(await choose.evaluate((el) => el === document.activeElement)); presses++) {
    await page.keyboard.press('Tab');
  }
  await expect(choose).toBeFocused();
  await shot(page, 'keyboard-focus-light');
  await page.getByTestId('drop-zone').evaluate((zone) => {
    const data = new DataTransfer();
    data.items.add(new File(['x'], 'a.png', { type: 'image/png' }));
    zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await expect(page.getByText('Drop to add images')).toBeVisible();
  await shot(page, 'drag-over-light');
});

test('the About button opens app info; Escape closes it', async ({ page }) => {
  await open(page, defaultScenario(), 'dark');
  await page.getByRole('button', { name: /about/i }).click();
  await expect(page.getByTestId('app-info')).toBeVisible();
  await expect(page.getByTestId('app-data-dir')).toHaveText('/home/ada/.config/image2model');
  await shot(page, 'about-dark');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('app-info')).toBeHidden();
});

test('the 3D viewer backdrop follows the app theme (not the system) until the user chooses one', async ({ page }) => {
  // The system is light, the app's theme is dark: the viewer must not sit light in a dark window.
  await open(page, defaultScenario({ settings: { ...defaultScenario().settings, theme: 'dark' }, library: { generate: 3 } }), 'light');
  const viewer = page.locator('.mv');
  const openViewer = async () => {
    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByTestId('model-card').first().click();
    await expect(viewer).toBeVisible();
  };
  const ready = () => expect(page.locator('.mv[data-status="ready"]')).toBeVisible({ timeout: 30_000 });
  const system = (colorScheme: 'light' | 'dark') => page.emulateMedia({ colorScheme });
  const toggle = () => page.getByRole('button', { name: 'Light background' }).click();

  await openViewer();
  await expect(viewer).toHaveAttribute('data-backdrop', 'dark');
  await ready();
  await shot(page, 'viewer-theme-dark');

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('radiogroup', { name: 'Theme' }).getByText('System', { exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await openViewer();
  await expect(viewer).toHaveAttribute('data-backdrop', 'light');
  await ready();
  await shot(page, 'viewer-theme-light');
  // The theme follows the system live, and the open viewer with it.
  await system('dark');
  await expect(viewer).toHaveAttribute('data-backdrop', 'dark');
  await system('light');
  await expect(viewer).toHaveAttribute('data-backdrop', 'light');

  // Chosen with the toggle: kept whatever the theme.
  await toggle();
  await expect(viewer).toHaveAttribute('data-backdrop', 'dark');
  await system('dark');
  await system('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(viewer).toHaveAttribute('data-backdrop', 'dark');
  // Toggled back to the theme's own: no choice any more, so it follows the theme again.
  await toggle();
  await expect(viewer).toHaveAttribute('data-backdrop', 'light');
  await system('dark');
  await expect(viewer).toHaveAttribute('data-backdrop', 'dark');

  // A choice is remembered: after a restart (the scripted app's theme is dark again) it still holds.
  await toggle();
  await expect(viewer).toHaveAttribute('data-backdrop', 'light');
  await page.reload();
  await openViewer();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(viewer).toHaveAttribute('data-backdrop', 'light');
});

test('the viewer\'s dimension labels are not written over by the "Drag to orbit" hint', async ({ page }) => {
  for (const scheme of ['light', 'dark'] as const) {
    await open(page, defaultScenario({ library: { generate: 3 } }), scheme);
    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByTestId('model-card').first().click();
    await expect(page.locator('.mv[data-status="ready"]')).toBeVisible({ timeout: 30_000 });
    const hint = page.locator('.mv-hint');
    await expect(hint).toBeVisible();
    await page.getByRole('button', { name: 'Dimensions', exact: true }).click();
    await expect(page.getByTestId('viewer-dimensions')).toBeVisible();
    // The width and depth labels sit along the model's foot, where the hint was drawn through them.
    const overlaps = await page.evaluate(() => {
      const hint = document.querySelector('.mv-hint');
      if (!hint || getComputedStyle(hint).display === 'none' || getComputedStyle(hint).visibility === 'hidden') return [];
      const h = hint.getBoundingClientRect();
      return [...document.querySelectorAll('.mv-dim')]
        .filter((label) => {
          const l = label.getBoundingClientRect();
          return l.left < h.right && h.left < l.right && l.top < h.bottom && h.top < l.bottom;
        })
        .map((label) => label.textContent);
    });
    expect(overlaps).toEqual([]);
    await shot(page, `viewer-dimensions-${scheme}`);
    await page.getByRole('button', { name: 'Dimensions', exact: true }).click();
    await expect(hint).toBeVisible();
  }
});
