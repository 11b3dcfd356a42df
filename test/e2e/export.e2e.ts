// The export studio against the real app core (browser transport, built renderer): a batch of 50
// models with progress and a summary while the window stays responsive. Export folders are picked in
// the platform's folder picker, never typed (the browser transport's picker answers `picked`).
import { expect, test, type Locator, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../src/core/db/open';
import { LibraryStore } from '../../src/core/library/store';
import { makeTestGlb } from '../fixtures/make-glb';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const MODELS = 50;

/** Puts models straight into the running app's library (SQLite in WAL mode takes a second writer). */
async function seedLibrary(dataDir: string, count: number) {
  const db = openDatabase(dataDir);
  const store = new LibraryStore(db, dataDir);
  mkdirSync(join(dataDir, 'library'), { recursive: true });
  for (let i = 0; i < count; i++) {
    const bytes = await makeTestGlb({ triangles: i === 0 ? 12_000 : 1500, textureSize: i === 0 ? 1024 : 128, seed: i + 1 });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const filePath = join(dataDir, 'library', `${sha256}.glb`);
    writeFileSync(filePath, bytes);
    store.insert({
      id: `model-${String(i).padStart(2, '0')}`,
      name: i === 0 ? 'Garden gnome' : `Figurine ${i}`,
      createdAt: Date.now() - i * 60_000,
      endpoint: 'offline/relief',
      preset: 'standard',
      jobId: null,
      sha256,
      filePath,
      stats: { triangles: i === 0 ? 12_000 : 1500, vertices: 0, materials: 1, textures: [], fileSize: bytes.byteLength },
      previewPath: null,
      costUsd: null,
      sourceName: null,
      paramsKey: null,
    });
  }
  db.close();
}

let app: RunningWebApp;
/** A folder outside the data folder, not made yet: what the user picks in the folder dialog. */
// Made in beforeAll, not when the file loads: Playwright loads it in processes that run no afterAll too
// (listing the tests), and each of those left a folder behind.
let pickedRoot = '';
let picked = '';
test.beforeAll(async () => {
  test.setTimeout(120_000);
  pickedRoot = mkdtempSync(join(tmpdir(), 'i2m-e2e-picked-'));
  picked = join(pickedRoot, 'My models');
  app = await launchWebApp({ pickedFolder: picked });
  await seedLibrary(app.dataDir, MODELS);
});
test.afterAll(async () => {
  await app?.stop();
  if (pickedRoot) rmSync(pickedRoot, { recursive: true, force: true });
});

async function openLibrary(page: Page) {
  await page.goto(app.appUrl);
  await page.getByRole('button', { name: 'Library' }).click();
  await expect(page.getByTestId('library-count')).toHaveText(`${MODELS} models`);
}

/** Opens the export studio for the Garden gnome as a user does (Library, its card, Export studio…). */
async function openStudio(page: Page) {
  await openLibrary(page);
  await page.getByTestId('model-card').filter({ hasText: 'Garden gnome' }).click();
  await page.getByRole('button', { name: 'Export studio…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export “Garden gnome”' });
  return { dialog, exportButton: dialog.getByTestId('export-run') };
}

test('studio: switching presets replaces the plan figures with the new preset\'s', async ({ page }) => {
  test.setTimeout(180_000);
  const { dialog } = await openStudio(page);
  const files = dialog.getByRole('list', { name: 'Files to write' });
  // Software WebGL makes the two viewers slow here, so the waits are generous.
  await expect(files).toHaveText(/^Garden gnome\.glb/, { timeout: 60_000 });
  const blenderBytes = await dialog.getByTestId('plan-bytes').textContent();

  await dialog.getByRole('radio', { name: /Game engine/ }).click();
  await expect(files.getByRole('listitem')).toHaveCount(4, { timeout: 60_000 });
  await expect(files).toContainText(/_LOD3\.glb/);
  // LOD3 is about 10 % of the model's 12,000 triangles.
  await expect(files.getByRole('listitem').nth(3)).toContainText(/LOD3\.glb1,\d{3} tris/);
  await expect(dialog.getByTestId('plan-bytes')).not.toHaveText(blenderBytes ?? '');

  await dialog.getByRole('radio', { name: /3D printing/ }).click();
  await expect(dialog.getByTestId('print-report')).toBeVisible({ timeout: 60_000 });
  await expect(files).toContainText(/\.stl/);
  await expect(files).toContainText(/\.3mf/);
  await expect(dialog.getByText('Working out the result…')).toHaveCount(0);

  // Every menu of the recipe shows its whole choice (the texture format was cut to "Same for…").
  const cut = await dialog.getByTestId('recipe-form').evaluate((form) => {
    const context = document.createElement('canvas').getContext('2d')!;
    return [...form.querySelectorAll('select')]
      .filter((select) => {
        const style = getComputedStyle(select);
        context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return context.measureText(select.selectedOptions[0]?.textContent ?? '').width > room;
      })
      .map((select) => select.selectedOptions[0]?.textContent);
  });
  expect(cut).toEqual([]);

  // The folder is shown, not typed: the app's exports folder until one is picked in the folder picker.
  const folder = dialog.getByLabel('Export folder');
  await expect(folder).toHaveText(`${join(app.dataDir, 'exports')}default`);
  await expect(folder).not.toBeEditable();
  await dialog.getByRole('button', { name: 'Choose…' }).click();
  await expect(folder).toHaveText(picked);
  await expect.poll(() => app.platformCalls).toContain(`chooseFolder ${picked}`);
  await dialog.getByRole('button', { name: 'Use default' }).click();
  await expect(folder).toHaveText(`${join(app.dataDir, 'exports')}default`);
  await dialog.getByRole('button', { name: 'Choose…' }).click();
  await expect(folder).toHaveText(picked);

  // docs/screenshot-export.png is this capture (light).
  const backdrops = dialog.locator('.xs-viewer-frame .mv');
  await expect(backdrops).toHaveCount(2);
  for (const i of [0, 1]) await expect(backdrops.nth(i)).toHaveAttribute('data-backdrop', 'light');
  await page.screenshot({ path: test.info().outputPath('export-studio-print.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  // The previews follow the theme (their toolbar, with the backdrop toggle, is hidden there).
  for (const i of [0, 1]) await expect(backdrops.nth(i)).toHaveAttribute('data-backdrop', 'dark');
  await page.waitForTimeout(1_000); // let the theme's colour transitions finish
  await page.screenshot({ path: test.info().outputPath('export-studio-print-dark.png') });

  // The recipe's menus change it: what was picked is what the menu shows.
  const form = dialog.getByTestId('recipe-form');
  await form.getByLabel('Largest edge').selectOption({ label: '512 px' });
  await expect(form.getByLabel('Largest edge')).toHaveValue('512');
  await form.getByLabel('Compression').selectOption({ label: 'Draco' });
  await expect(form.getByLabel('Compression')).toHaveValue('draco');
});

test('batch: 50 models with one preset, progress and a summary, and the window stays responsive', async ({ page }) => {
  test.setTimeout(240_000);
  await openLibrary(page);
  // Multi-select two cards, then clear and export the whole library instead.
  await page.getByRole('button', { name: 'Select' }).click();
  await page.getByTestId('model-card').nth(1).click();
  await page.getByTestId('model-card').nth(2).click();
  await expect(page.getByTestId('model-checked')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Export 2…' })).toBeVisible();
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByRole('button', { name: 'Export all…' }).click();

  const dialog = page.getByRole('dialog', { name: `Export ${MODELS} models` });
  await dialog.getByRole('radio', { name: /Web/ }).click();
  await dialog.getByRole('button', { name: 'Choose…' }).click();
  await expect(dialog.getByLabel('Export folder')).toHaveText(picked);
  await dialog.getByRole('button', { name: `Export ${MODELS} models` }).click();

  // While it runs: progress moves, and animation frames keep coming (no long stalls).
  const progress = dialog.getByTestId('batch-progress');
  await expect(progress).toContainText(/^[1-9]\d* of 50 done/, { timeout: 60_000 });
  const frames = await page.evaluate(
    () =>
      new Promise<{ count: number; worstGap: number }>((resolve) => {
        let last = performance.now();
        let worstGap = 0;
        let count = 0;
        const started = last;
        const tick = (now: number) => {
          worstGap = Math.max(worstGap, now - last);
          last = now;
          count++;
          if (now - started < 2000) requestAnimationFrame(tick);
          else resolve({ count, worstGap });
        };
        requestAnimationFrame(tick);
      }),
  );
  expect(frames.count).toBeGreaterThan(20);
  expect(frames.worstGap).toBeLessThan(500);
  // The Stop button answers while the batch runs (on a fast machine the batch may already be done,
  // and the button may go between two looks: gone is fine, shown and disabled is not).
  const stop = dialog.getByRole('button', { name: 'Stop' });
  const stopEnabled = await stop.isEnabled({ timeout: 1000 }).catch(() => null);
  expect(stopEnabled).not.toBe(false);
  await page.screenshot({ path: test.info().outputPath('export-batch-running.png') });

  const summary = dialog.getByTestId('batch-summary');
  await expect(summary).toContainText(`Done: ${MODELS} exported`, { timeout: 200_000 });
  await expect(progress).toHaveText(`${MODELS} of ${MODELS} done`);
  expect(readdirSync(picked).filter((f) => f.endsWith('.glb'))).toHaveLength(MODELS);
  await page.screenshot({ path: test.info().outputPath('export-batch-done.png') });
});

test('settings: the output folder is picked in the folder picker, kept after a reload, and can go back to the default', async ({ page }) => {
  await page.goto(app.appUrl);
  await page.getByRole('button', { name: 'Settings' }).click();
  const folder = page.getByLabel('Output folder');
  const row = page.locator('.setting-row').filter({ has: folder });
  await expect(folder).toHaveText(`${join(app.dataDir, 'exports')}default`);
  await expect(row.getByRole('button', { name: 'Use default' })).toHaveCount(0);
  await folder.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('settings-output-folder-default.png') });
  await row.getByRole('button', { name: 'Choose…' }).click();
  await expect(folder).toHaveText(picked);
  await page.screenshot({ path: test.info().outputPath('settings-output-folder.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(1_000); // let the theme's colour transitions finish
  await page.screenshot({ path: test.info().outputPath('settings-output-folder-dark.png') });

  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(folder).toHaveText(picked);
  await row.getByRole('button', { name: 'Use default' }).click();
  await expect(folder).toHaveText(`${join(app.dataDir, 'exports')}default`);
});

test('studio: a real size out of range says which range is allowed, and nothing is exported with it', async ({ page }) => {
  test.setTimeout(180_000);
  const { dialog, exportButton } = await openStudio(page);
  await expect(exportButton).toBeEnabled({ timeout: 60_000 });
  const plan = dialog.getByTestId('export-plan');
  const preview = dialog.getByTestId('export-preview').locator('.mv');

  await dialog.getByLabel('Real size', { exact: true }).selectOption('height');
  await dialog.getByLabel('Real size unit').selectOption('mm');
  const value = dialog.getByLabel('Real size value');
  await value.fill('250');
  await expect(plan).toContainText('25.0 cm', { timeout: 60_000 });
  await expect(preview).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await value.fill('1e-300');
  const problem = dialog.getByTestId('real-size-problem');
  await expect(problem).toHaveText('Real size must be from 0.1 to 1,000,000 mm (0.1 mm to 1 km).');
  await expect(value).toHaveAttribute('aria-invalid', 'true');
  await expect(exportButton).toBeDisabled();
  await expect(dialog.getByRole('button', { name: 'Save as preset…' })).toBeDisabled();
  // The plan and preview made for 250 mm are not what this field says: they go (they stayed on screen).
  await expect(plan).toHaveCount(0);
  // The result's viewer gives way to the pane's placeholder (a97f1cb), not to the viewer's "No model open";
  // it says what to fix (it said "No preview for this result.", as if the model had a fault).
  await expect(preview).toHaveCount(0);
  await expect(dialog.getByTestId('export-preview-empty')).toHaveText('No result while the real size is out of range: correct it to see the result here.');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const path = test.info().outputPath(`real-size-out-of-range-${scheme}.png`);
    await page.screenshot({ path });
    await test.info().attach(`real-size-out-of-range-${scheme}`, { path, contentType: 'image/png' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await value.fill('5000000');
  await expect(problem).toBeVisible();
  await expect(exportButton).toBeDisabled();
  await expect(plan).toHaveCount(0);

  await value.fill('120');
  await expect(problem).toHaveCount(0);
  await expect(exportButton).toBeEnabled({ timeout: 60_000 });
  await expect(plan).toContainText('12.0 cm', { timeout: 60_000 });
});

test('studio: a saved preset can be deleted (saved presets are capped, so this is how room is made)', async ({ page }) => {
  test.setTimeout(180_000);
  const { dialog } = await openStudio(page);
  await dialog.getByRole('button', { name: 'Save as preset…' }).click();
  const name = dialog.getByLabel('Preset name');
  // The limit counts characters as people do: 80 emoji fit (a maxlength counted 2 UTF-16 units each), the 81st is cut.
  await name.fill('🦊'.repeat(81));
  await expect(name).toHaveValue('🦊'.repeat(80));
  await name.fill('Short-lived');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  const mine = dialog.getByRole('radio', { name: /Short-lived/ });
  await expect(mine).toHaveAttribute('aria-checked', 'true');
  await dialog.getByRole('button', { name: 'Delete this preset' }).click();
  await expect(mine).toHaveCount(0);
  await expect(dialog.getByRole('radio', { name: /Blender/ })).toHaveAttribute('aria-checked', 'true');
  await expect(dialog.getByRole('button', { name: 'Delete this preset' })).toHaveCount(0);
});

test('studio: a real size turned off and on again shows the size that will be exported, not what was typed before', async ({ page }) => {
  test.setTimeout(180_000);
  const { dialog, exportButton } = await openStudio(page);
  await expect(exportButton).toBeEnabled({ timeout: 60_000 });

  const dimension = dialog.getByLabel('Real size', { exact: true });
  await dimension.selectOption('height');
  const value = dialog.getByLabel('Real size value');
  await value.fill('1e-300');
  await expect(dialog.getByTestId('real-size-problem')).toBeVisible();
  // Off, then on again: the recipe's size is 30 cm again, and the field must say so (it kept showing
  // 1e-300, with no problem shown and Export enabled - exporting 30 cm).
  await dimension.selectOption('keep');
  await dimension.selectOption('height');
  await expect(value).toHaveValue('30');
  await expect(dialog.getByTestId('real-size-problem')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('real-size-on-again.png') });
});

/**
 * Stops the batch if it still runs, with one look and one click inside the page: on a busy machine the
 * batch can end between two steps, and its Stop button is then a disabled Done/Stopped (Close after a
 * moment), which a locator's click would wait on.
 */
const stopBatch = (dialog: Locator) =>
  dialog.evaluate((el) => [...el.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Stop')?.click());

/** How colourful a CSS colour is (0-255): an accent is far from grey. */
const chroma = (css: string) => {
  const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return Math.max(r ?? 0, g ?? 0, b ?? 0) - Math.min(r ?? 0, g ?? 0, b ?? 0);
};

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: while a batch runs the preset cards look disabled (grey, no accent, no pointer) and do not act`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openLibrary(page);
    await page.getByRole('button', { name: 'Export all…' }).click();
    const dialog = page.getByRole('dialog', { name: `Export ${MODELS} models` });
    const web = dialog.getByRole('radio', { name: /Web/ });
    const game = dialog.getByRole('radio', { name: /Game engine/ });
    await web.click();
    await page.mouse.move(0, 0); // a hovered card has its own border
    const look = (card: typeof web) => card.evaluate((el) => ({ border: getComputedStyle(el).borderColor, color: getComputedStyle(el).color, cursor: getComputedStyle(el).cursor }));
    const before = { active: await look(web), other: await look(game) };
    expect(chroma(before.active.border), 'the chosen card shows the accent').toBeGreaterThan(60);
    expect(before.other.cursor).toBe('pointer');

    await dialog.getByRole('button', { name: `Export ${MODELS} models` }).click();
    await expect(dialog.getByRole('button', { name: 'Stop' })).toBeVisible();
    await expect(game).toBeDisabled();
    const during = { active: await look(web), other: await look(game) };
    await dialog.locator('.xs-presets').screenshot({ path: test.info().outputPath(`presets-running-${scheme}.png`), animations: 'disabled' });
    // Not acting: a click on another preset while it runs changes nothing.
    await game.click({ force: true });
    await expect(web).toHaveAttribute('aria-checked', 'true');
    await stopBatch(dialog);
    await expect(dialog.getByTestId('batch-summary')).toBeVisible({ timeout: 120_000 });

    expect(during.other.cursor).toBe('default');
    expect(during.active.cursor).toBe('default');
    expect(chroma(during.active.border), 'no accent on the chosen card while disabled').toBeLessThan(25);
    expect(during.other.color, 'the label is faint').not.toBe(before.other.color);
    await expect(game).toBeEnabled();
    expect((await look(game)).cursor).toBe('pointer');
  });
}

test('studio: back from an out-of-range real size, the last plan is pending and Export waits for the new one', async ({ page }) => {
  test.setTimeout(180_000);
  const { dialog, exportButton } = await openStudio(page);
  await expect(exportButton).toBeEnabled({ timeout: 60_000 });
  const plan = dialog.getByTestId('export-plan');
  await dialog.getByLabel('Real size', { exact: true }).selectOption('height');
  await dialog.getByLabel('Real size unit').selectOption('mm');
  const value = dialog.getByLabel('Real size value');
  await value.fill('250');
  await expect(plan).toContainText('25.0 cm', { timeout: 60_000 });
  await expect(exportButton).toBeEnabled({ timeout: 60_000 });
  await value.fill('1e-300');
  await expect(exportButton).toBeDisabled();

  // Every frame from the change on: Export is never enabled beside the 25.0 cm plan (it was, for the
  // plan's 400 ms debounce), and a plan on screen for another size is marked pending.
  await page.evaluate(() => {
    const seen: { enabled: boolean; plan: string | null; busy: boolean }[] = [];
    (window as unknown as { __seen: typeof seen }).__seen = seen;
    const tick = () => {
      const button = document.querySelector<HTMLButtonElement>('[data-testid="export-run"]');
      const shown = document.querySelector('[data-testid="export-plan"]');
      seen.push({ enabled: Boolean(button && !button.disabled), plan: shown?.textContent ?? null, busy: shown?.getAttribute('aria-busy') === 'true' });
      if (!(button && !button.disabled && shown?.textContent?.includes('12.0 cm'))) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await value.fill('120');
  await expect(plan).toContainText('12.0 cm', { timeout: 60_000 });
  await expect(exportButton).toBeEnabled({ timeout: 60_000 });
  await page.screenshot({ path: test.info().outputPath('plan-after-valid-again.png') });
  const seen = await page.evaluate(() => (window as unknown as { __seen: { enabled: boolean; plan: string | null; busy: boolean }[] }).__seen);
  expect(seen.length).toBeGreaterThan(5);
  expect(seen.filter((s) => s.enabled && !s.plan?.includes('12.0 cm'))).toEqual([]);
  expect(seen.filter((s) => s.plan?.includes('25.0 cm') && !s.busy)).toEqual([]);

  // A change within range: the 12.0 cm plan is pending at once, Export waits for 13.0 cm.
  await value.fill('130');
  await expect(plan).toHaveAttribute('aria-busy', 'true');
  await expect(exportButton).toBeDisabled();
  await page.screenshot({ path: test.info().outputPath('plan-pending.png') });
  await expect(plan).toContainText('13.0 cm', { timeout: 60_000 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(1_000); // let the theme's colour transitions finish
  await value.fill('140');
  await expect(plan).toHaveAttribute('aria-busy', 'true');
  await page.screenshot({ path: test.info().outputPath('plan-pending-dark.png') });
  await expect(plan).toContainText('14.0 cm', { timeout: 60_000 });
  await expect(exportButton).toBeEnabled();
  await expect(plan).not.toHaveAttribute('aria-busy', 'true');
});

test('studio: a preset deleted by the CLI while the studio is open leaves its list when the window is back, its settings kept', async ({ page }) => {
  test.setTimeout(180_000);
  const { dialog } = await openStudio(page);
  const form = dialog.getByTestId('recipe-form');
  await form.getByLabel('Compression').selectOption({ label: 'Draco' });
  await dialog.getByRole('button', { name: 'Save as preset…' }).click();
  await dialog.getByLabel('Preset name').fill('Shop AR');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  const mine = dialog.getByRole('radio', { name: /Shop AR/ });
  await expect(mine).toHaveAttribute('aria-checked', 'true');

  // In a terminal, while the studio stays open.
  const cli = await promisify(execFile)(process.execPath, ['bin/image2model.mjs', 'export', '--delete-preset', 'shop-ar', '--data-dir', app.dataDir]);
  expect(cli.stdout).toContain('Deleted preset "Shop AR" (shop-ar)');
  // Back to the window.
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expect(mine).toHaveCount(0);
  await expect(dialog.getByRole('radio', { name: /Blender/ })).toHaveAttribute('aria-checked', 'true');
  const note = dialog.getByRole('status').filter({ hasText: 'The preset “Shop AR” was deleted outside the studio' });
  await expect(note).toBeVisible();
  // What the form said stays: saving it makes a new preset, in the list at once.
  await expect(form.getByLabel('Compression')).toHaveValue('draco');
  await page.screenshot({ path: test.info().outputPath('preset-deleted-elsewhere.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(1_000); // let the theme's colour transitions finish
  await page.screenshot({ path: test.info().outputPath('preset-deleted-elsewhere-dark.png') });
  await dialog.getByRole('button', { name: 'Save as preset…' }).click();
  await dialog.getByLabel('Preset name').fill('Shop AR again');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog.getByRole('radio', { name: /Shop AR again/ })).toHaveAttribute('aria-checked', 'true');
  await expect(form.getByLabel('Compression')).toHaveValue('draco');
  await expect(note).toHaveCount(0);
});

test('studio: a preset the CLI saves or deletes while the studio is open shows there within a second, the window never leaving the front', async ({ page }) => {
  test.setTimeout(180_000);
  const { dialog } = await openStudio(page);
  await expect(dialog.getByRole('radio', { name: /Blender/ })).toBeVisible();
  // The window stays in front: a 'focus' would read the list again by itself, so none gets through.
  await page.evaluate(() => window.addEventListener('focus', (event) => event.stopImmediatePropagation(), true));
  const cli = (...args: string[]) => promisify(execFile)(process.execPath, ['bin/image2model.mjs', ...args, '--data-dir', app.dataDir]);

  // In a terminal: a recipe planned (nothing written) and saved as a preset.
  const saved = await cli('export', 'model-01', '--plan', '--format', 'obj', '--save-preset', 'From the terminal');
  expect(saved.stdout).toContain('Saved preset "From the terminal" as from-the-terminal');
  const mine = dialog.getByRole('radio', { name: /From the terminal/ });
  await expect(mine).toBeVisible({ timeout: 5_000 });
  await mine.click();
  await expect(mine).toHaveAttribute('aria-checked', 'true');

  const deleted = await cli('export', '--delete-preset', 'from-the-terminal');
  expect(deleted.stdout).toContain('Deleted preset "From the terminal" (from-the-terminal)');
  await expect(mine).toHaveCount(0, { timeout: 5_000 });
  await expect(dialog.getByRole('status').filter({ hasText: 'The preset “From the terminal” was deleted outside the studio' })).toBeVisible();
  await expect(dialog.getByRole('radio', { name: /Blender/ })).toHaveAttribute('aria-checked', 'true');
});

/** Whether what the user sees at the middle of `locator` is that element (not a dialog over it). */
const onTop = (locator: ReturnType<Page['locator']>) =>
  locator.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && el.contains(hit);
  });

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: the chosen preset keeps its accent border under the pointer`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const { dialog } = await openStudio(page);

    // Hovering the chosen card: still the accent border (the hover border replaced it).
    const blender = dialog.getByRole('radio', { name: /Blender/ });
    await expect(blender).toHaveAttribute('aria-checked', 'true');
    await blender.hover();
    expect(chroma(await blender.evaluate((el) => getComputedStyle(el).borderColor)), 'the hovered chosen card shows the accent').toBeGreaterThan(60);
    const game = dialog.getByRole('radio', { name: /Game engine/ });
    await game.hover();
    expect(chroma(await game.evaluate((el) => getComputedStyle(el).borderColor)), 'another card hovered is grey').toBeLessThan(25);
    await blender.hover();
    await dialog.locator('.xs-presets').screenshot({ path: test.info().outputPath(`preset-chosen-hover-${scheme}.png`), animations: 'disabled' });
  });

  test(`${scheme}: the studio's own toasts show above it, clear of its buttons, and can be dismissed`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const { dialog } = await openStudio(page);

    await dialog.getByRole('button', { name: 'Save as preset…' }).click();
    await dialog.getByLabel('Preset name').fill(`Toast check ${scheme}`);
    // The page's timers from here on are Playwright's, and stopped: the toast's 5 s fade is held while it
    // is looked at (this machine can be slower than that between two steps).
    await page.clock.install();
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 3_000)); // the page's own time
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    const toast = page.getByRole('status').filter({ hasText: `Saved the preset “Toast check ${scheme}”.` });
    await expect(toast).toBeVisible();
    await expect(dialog).toBeVisible();
    expect(await onTop(toast), 'the toast is above the open studio').toBe(true);
    expect(await onTop(dialog.getByRole('button', { name: 'Cancel' })), 'and not over the studio\'s own buttons').toBe(true);
    expect(await onTop(dialog.getByTestId('export-run'))).toBe(true);
    await page.screenshot({ path: test.info().outputPath(`studio-toast-${scheme}.png`), animations: 'disabled' });
    // It answers too (the page behind a modal dialog is inert): Dismiss removes it, the studio stays.
    await toast.getByRole('button', { name: 'Dismiss' }).click({ timeout: 5_000 });
    await expect(toast).toHaveCount(0);
    await expect(dialog).toBeVisible();
    await page.clock.resume();
    await dialog.getByRole('button', { name: 'Delete this preset' }).click();
  });

  test(`${scheme}: while a batch runs its recipe settings, Save as preset… and Use for new models are locked and look it`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openLibrary(page);
    await page.getByRole('button', { name: 'Export all…' }).click();
    const dialog = page.getByRole('dialog', { name: `Export ${MODELS} models` });
    await dialog.getByRole('radio', { name: /Web/ }).click();
    const form = dialog.getByTestId('recipe-form');
    const weld = form.getByRole('checkbox', { name: /Weld/ });
    const save = dialog.getByRole('button', { name: 'Save as preset…' });
    const useForNew = dialog.getByRole('button', { name: 'Use for new models' });
    const textOf = (el: typeof weld) => el.evaluate((node) => getComputedStyle(node).color);
    const fields = form.locator('input, select');
    await expect(weld).toBeEnabled();
    await expect(save).toBeEnabled();
    await expect(useForNew).toBeEnabled();
    const enabledSelect = await textOf(form.locator('select').first());

    await dialog.getByRole('button', { name: `Export ${MODELS} models` }).click();
    await expect(dialog.getByRole('button', { name: 'Stop' })).toBeVisible();
    const count = await fields.count();
    expect(count).toBeGreaterThan(5);
    for (let i = 0; i < count; i++) await expect(fields.nth(i)).toBeDisabled();
    await expect(save).toBeDisabled();
    await expect(useForNew).toBeDisabled();
    await expect(dialog.getByTestId('batch-locked')).toHaveText('The settings are locked until this export is done or stopped.');
    // Grey, like the disabled buttons: the select's text is faint, and no pointer.
    expect(await textOf(form.locator('select').first())).not.toBe(enabledSelect);
    expect(await form.locator('select').first().evaluate((el) => getComputedStyle(el).cursor)).toBe('default');
    await page.screenshot({ path: test.info().outputPath(`batch-locked-${scheme}.png`), animations: 'disabled' });
    // A click on a setting does nothing: the batch's line does not turn "(changed)".
    await weld.click({ force: true });
    await expect(dialog.getByTestId('export-batch')).not.toContainText('(changed)');

    await stopBatch(dialog);
    await expect(dialog.getByTestId('batch-summary')).toBeVisible({ timeout: 120_000 });
    await expect(weld).toBeEnabled();
    await expect(save).toBeEnabled();
    await expect(dialog.getByTestId('batch-locked')).toHaveCount(0);
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: Export all… names the whole library when there is no search, and the search when there is one`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openLibrary(page);
    await page.getByRole('button', { name: 'Export all…' }).click();
    let dialog = page.getByRole('dialog', { name: `Export ${MODELS} models` });
    // It said 'Every model matching “” (50)'.
    await expect(dialog.getByTestId('export-batch')).toContainText(`Every model in the library (${MODELS}) will be exported with Blender / DCC into the folder below.`);
    await expect(dialog.getByTestId('export-batch')).not.toContainText('“”');
    await page.waitForTimeout(300); // colour transitions (screenshot only)
    await page.screenshot({ path: test.info().outputPath(`batch-whole-library-${scheme}.png`) });
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('searchbox', { name: 'Search models' }).fill('Figurine 4');
    await expect(page.getByTestId('library-count')).toHaveText('11 matches for “Figurine 4”');
    await page.getByRole('button', { name: 'Export matches…' }).click();
    dialog = page.getByRole('dialog', { name: 'Export 11 models' });
    await expect(dialog.getByTestId('export-batch')).toContainText('Every model matching “Figurine 4” (11) will be exported with');
    await page.screenshot({ path: test.info().outputPath(`batch-search-${scheme}.png`) });
  });
}

/** The recipe's menu choices that would not show whole when chosen (wider than the menu's room), as "menu: choice". */
const cutChoices = (dialog: Locator) =>
  dialog.getByTestId('recipe-form').evaluate((form) => {
    const context = document.createElement('canvas').getContext('2d')!;
    return [...form.querySelectorAll('select')].flatMap((select) => {
      const style = getComputedStyle(select);
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const menu = select.getAttribute('aria-label') ?? select.labels?.[0]?.textContent ?? select.id;
      return [...select.options].filter((option) => context.measureText(option.text).width > room).map((option) => `${menu}: ${option.text}`);
    });
  });

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: every choice of the recipe's menus shows whole and every setting is in reach, in the default window and in a narrow one`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openLibrary(page);
    await page.getByRole('button', { name: 'Export all…' }).click();
    const dialog = page.getByRole('dialog', { name: `Export ${MODELS} models` });
    const form = dialog.getByTestId('recipe-form');
    const compression = form.getByLabel('Compression');
    // Web compresses with Meshopt, the choice that was cut short beside "Weld vertices".
    await dialog.getByRole('radio', { name: /Web/ }).click();
    await expect(compression).toHaveValue('meshopt');
    // A real size brings its unit menu.
    await form.getByLabel('Real size', { exact: true }).selectOption('height');
    await expect(form.getByLabel('Real size unit')).toBeVisible();

    // The default window, then the narrowest the app allows (src/main/window-bounds.ts).
    for (const size of [{ width: 1280, height: 800 }, { width: 820, height: 560 }]) {
      await page.setViewportSize(size);
      expect(await cutChoices(dialog), `${size.width} x ${size.height}`).toEqual([]);
      // Nothing reaches past the settings column (which would scroll sideways).
      expect(await dialog.locator('.xs-knobs').evaluate((column) => column.scrollWidth - column.clientWidth)).toBeLessThanOrEqual(0);
      // Every setting is in reach: the settings scroll, the dialog does not (it cut the last ones off
      // under its footer, out of reach, also in the default window).
      for (const setting of [compression, form.getByLabel('Size budget')]) {
        await setting.scrollIntoViewIfNeeded();
        await expect(setting).toBeInViewport({ ratio: 1 });
        expect(await dialog.locator('.dialog-body').evaluate((body) => body.scrollTop), 'the dialog scrolled').toBe(0);
      }
      await compression.scrollIntoViewIfNeeded();
      await page.waitForTimeout(300); // colour transitions and layout (screenshot only)
      await page.screenshot({ path: test.info().outputPath(`recipe-menus-${size.width}-${scheme}.png`) });
    }
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: a click on Stop just as the batch ends keeps the studio and its summary; Close comes after a moment`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openLibrary(page);
    await page.getByRole('searchbox', { name: 'Search models' }).fill('Figurine 4');
    await expect(page.getByTestId('library-count')).toHaveText('11 matches for “Figurine 4”');
    await page.getByRole('button', { name: 'Export matches…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export 11 models' });
    await expect(dialog.getByTestId('export-batch')).toBeVisible();

    // In the page, with no round trip between: the user's pointer rests on Stop while the batch runs,
    // and clicks there in the very moment its summary appears (a real click does nothing on a disabled button).
    await page.evaluate(() => {
      const w = window as unknown as { stopRace?: Promise<{ clicked: string; disabled: boolean }> };
      w.stopRace = new Promise((resolve) => {
        let at: { x: number; y: number } | null = null;
        const observer = new MutationObserver(() => {
          const stop = [...document.querySelectorAll('dialog button')].find((b) => b.textContent?.trim() === 'Stop');
          if (stop) {
            const r = stop.getBoundingClientRect();
            at = { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          }
          if (at && document.querySelector('[data-testid="batch-summary"]')) {
            observer.disconnect();
            const button = document.elementFromPoint(at.x, at.y)?.closest('button') ?? null;
            const clicked = button?.textContent?.trim() ?? '(nothing)';
            const disabled = button?.disabled ?? false;
            button?.click();
            resolve({ clicked, disabled });
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
    });
    await dialog.getByRole('button', { name: 'Export 11 models' }).click();
    const race = await page.evaluate(() => (window as unknown as { stopRace: Promise<{ clicked: string; disabled: boolean }> }).stopRace);
    await page.screenshot({ path: test.info().outputPath(`batch-end-click-${scheme}.png`), animations: 'disabled' });
    // The click landed on the finished batch's Stop, now a disabled "Done" - not on Close.
    expect(race).toEqual({ clicked: 'Done', disabled: true });
    await expect(dialog).toBeVisible();
    const summary = dialog.getByTestId('batch-summary');
    await expect(summary).toContainText('Done: 11 exported');

    // A moment later the place says Close; the summary stays until the user closes the studio.
    const close = dialog.getByRole('button', { name: 'Close' });
    await expect(close).toBeVisible({ timeout: 10_000 });
    await expect(dialog.getByTestId('export-run')).toBeEnabled();
    await expect(summary).toBeVisible();
    await page.screenshot({ path: test.info().outputPath(`batch-end-close-${scheme}.png`), animations: 'disabled' });
    await close.click();
    await expect(dialog).toHaveCount(0);
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: each studio label sits level with the first line of its setting`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const { dialog } = await openStudio(page);
    // Real size on: its value and unit wrap below the menu, like "Weld vertices" below Compression.
    await dialog.getByLabel('Real size').selectOption('height');
    const rows = dialog.locator('.xr-row');
    await expect(rows.first()).toBeVisible();
    // "Compression" sat halfway down its two lines (menu, then the Weld vertices box), 11 px below the menu's text.
    const offsets = await rows.evaluateAll((all) =>
      all.map((row) => {
        const label = row.querySelector('.xr-label')!.getBoundingClientRect();
        const first = row.querySelector('.xr-control')!.firstElementChild!.getBoundingClientRect();
        return { label: row.querySelector('.xr-label')!.textContent, off: Math.round(label.top + label.height / 2 - (first.top + first.height / 2)) };
      }),
    );
    expect(offsets.length).toBeGreaterThan(8);
    expect(offsets.filter((o) => Math.abs(o.off) > 2)).toEqual([]);
    await dialog.locator('.xr-row').filter({ hasText: 'Compression' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: test.info().outputPath(`studio-labels-${scheme}.png`) });
  });
}
