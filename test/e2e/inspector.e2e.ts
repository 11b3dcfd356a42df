// The inspector: view modes, lighting presets and exposure, the model's size with a ruler, its
// textures laid flat, and the large view, in the viewer harness (development build, so StrictMode
// mounts twice and the debug hooks are there). Compare and "Make with another generator" run in
// the app against the scripted window.api (support/mock-app.ts).
import { Document, NodeIO, getBounds } from '@gltf-transform/core';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import type { GpuMemory, ViewerDebug } from '../../src/renderer/src/features/viewer/engine/debug-types';
import { formatLength } from '../../src/renderer/src/features/viewer/engine/units';
import type { ViewerHarness } from '../../src/renderer/src/features/viewer/harness/harness-api';
import { buildViewerHarness } from '../../bench/viewer/build-harness';
import { makeTestGlb } from '../../bench/viewer/fixtures';
import { startHarnessServer, type HarnessServer } from '../../bench/viewer/server';
import { defaultScenario, openMockApp } from './support/mock-app';

interface PageGlobals {
  __harness?: ViewerHarness;
  __viewerDebug?: ViewerDebug;
}

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let server: HarnessServer;
let sphere: { url: string; size: [number, number, number] };

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await buildViewerHarness({ outDir: 'test-results/inspector-harness', mode: 'development' });
  server = await startHarnessServer('test-results/inspector-harness');
  const bytes = await makeTestGlb({ triangles: 3000, textureSize: 256, seed: 11 });
  const document: Document = await new NodeIO().readBinary(bytes);
  const { min, max } = getBounds(document.getRoot().listScenes()[0]!);
  sphere = { url: server.addModel('sphere.glb', bytes), size: [max[0] - min[0], max[1] - min[1], max[2] - min[2]] };
});

test.afterAll(async () => server?.close());

const loadCount = (page: Page): Promise<number> => page.evaluate(() => (globalThis as unknown as PageGlobals).__viewerDebug!.loads().length);
const memory = (page: Page): Promise<GpuMemory> => page.evaluate(() => (globalThis as unknown as PageGlobals).__viewerDebug!.memory());
const coverage = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).__viewerDebug!.coverage());

/** Opens the harness with the sphere shown under the room environment. */
async function openSphere(page: Page): Promise<void> {
  await page.goto(server.harnessUrl);
  await page.waitForFunction(() => ((globalThis as unknown as PageGlobals).__viewerDebug?.frames() ?? 0) > 0);
  await page.evaluate((u) => (globalThis as unknown as PageGlobals).__harness!.open(u, 'Sphere.glb'), sphere.url);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__viewerDebug!.environmentReadyAt() !== null);
  await expect(page.getByTestId('viewer-stats')).toBeVisible();
}

/** Mean brightness (0-255) of the viewer's pixels, from a screenshot of the page. */
async function brightness(page: Page): Promise<number> {
  const { channels } = await sharp(await page.screenshot()).stats();
  return (channels[0]!.mean + channels[1]!.mean + channels[2]!.mean) / 3;
}

test('view modes redraw the model and give back every GPU resource they made', async ({ page }) => {
  await openSphere(page);
  const lit = await memory(page);
  await page.getByRole('button', { name: 'Inspector' }).click();
  const modes = page.getByRole('radiogroup', { name: 'View mode' });
  const shots = new Map<string, Buffer>();
  for (const mode of ['Base colour', 'Normals', 'Matcap', 'Wireframe', 'UV checker', 'Lit']) {
    await modes.getByRole('radio', { name: mode }).click();
    await expect(modes.getByRole('radio', { name: mode })).toHaveAttribute('aria-checked', 'true');
    expect((await coverage(page)).covered).toBeGreaterThan(0);
    shots.set(mode, await page.locator('.mv-viewport').screenshot());
  }
  // Every mode looks different from the lit model.
  const litShot = await sharp(shots.get('Lit')!).raw().toBuffer();
  for (const mode of ['Base colour', 'Normals', 'Matcap', 'Wireframe', 'UV checker']) {
    const other = await sharp(shots.get(mode)!).raw().toBuffer();
    let differing = 0;
    for (let i = 0; i < litShot.length; i += 4) if (Math.abs(litShot[i]! - other[i]!) + Math.abs(litShot[i + 1]! - other[i + 1]!) > 30) differing++;
    expect(differing / (litShot.length / 4), `${mode} differs from Lit`).toBeGreaterThan(0.02);
  }
  // Back on Lit, the stand-in materials, outlines and generated textures are gone.
  expect(await memory(page)).toEqual(lit);
  // W toggles the wireframe overlay from the keyboard.
  await page.locator('.mv-viewport').focus();
  await page.keyboard.press('w');
  await expect(page.locator('.mv')).toHaveAttribute('data-view-mode', 'wireframe');
  // Closing the model with a mode on frees it all, as on Lit.
  await page.evaluate(() => (globalThis as unknown as PageGlobals).__harness!.open(null));
  await expect(page.getByText('No model open')).toBeVisible();
  const closed = await memory(page);
  expect(closed.geometries).toBeLessThan(lit.geometries);
  expect(closed.textures).toBeLessThan(lit.textures);
  await page.keyboard.press('w'); // back to lit with nothing open
  const opened = await loadCount(page);
  await page.evaluate((u) => (globalThis as unknown as PageGlobals).__harness!.open(u), sphere.url);
  await page.waitForFunction((n) => {
    const loads = (globalThis as unknown as PageGlobals).__viewerDebug!.loads();
    return loads.length > n && loads.at(-1)!.firstFrameAt !== null;
  }, opened);
  // The same model again; its material now compiles only the environment-lit variant.
  const reopened = await memory(page);
  expect({ geometries: reopened.geometries, textures: reopened.textures }).toEqual({ geometries: lit.geometries, textures: lit.textures });
  expect(reopened.programs).toBeLessThanOrEqual(lit.programs);
});

test('the size is shown in the unit picked, with a ruler over the model', async ({ page }) => {
  await openSphere(page);
  await page.getByRole('button', { name: 'Inspector' }).click();
  const [x, y, z] = sphere.size;
  const size = page.getByTestId('viewer-size');
  const unit = page.getByRole('combobox', { name: 'Unit' });
  for (const u of ['mm', 'cm', 'm', 'in'] as const) {
    await unit.selectOption(u);
    const expected = `${[x, y, z].map((v) => formatLength(v, u).replace(` ${u}`, '')).join(' × ')} ${u}`;
    await expect(size).toHaveText(expected);
  }
  await unit.selectOption('cm');
  const before = await memory(page);
  await page.getByRole('checkbox', { name: 'Ruler' }).check();
  const labels = page.getByTestId('viewer-dimensions').locator('.mv-dim');
  await expect(labels).toHaveCount(3);
  await expect(labels.nth(0)).toHaveText(`Width ${formatLength(x, 'cm')}`);
  await expect(labels.nth(1)).toHaveText(`Height ${formatLength(y, 'cm')}`);
  await expect(labels.nth(2)).toHaveText(`Depth ${formatLength(z, 'cm')}`);
  // Labels sit inside the view, near the model.
  for (let i = 0; i < 3; i++) {
    const box = (await labels.nth(i).boundingBox())!;
    expect(box.x).toBeGreaterThan(0);
    expect(box.x + box.width).toBeLessThan(1280);
    expect(box.y).toBeGreaterThan(0);
    expect(box.y + box.height).toBeLessThan(800);
  }
  expect((await memory(page)).geometries).toBe(before.geometries + 1); // the ruler's lines
  await page.locator('.mv-viewport').focus();
  await page.keyboard.press('d');
  await expect(page.getByTestId('viewer-dimensions')).toBeHidden();
  // The lines are freed; the ruler's material (and its compiled shader) lives as long as the viewer.
  const after = await memory(page);
  expect({ geometries: after.geometries, textures: after.textures }).toEqual({ geometries: before.geometries, textures: before.textures });
});

test('exposure and the lighting presets change the picture', async ({ page }) => {
  await openSphere(page);
  await page.getByRole('button', { name: 'Inspector' }).click();
  await page.getByRole('button', { name: 'Model statistics' }).click(); // the panel would count as picture
  const exposure = page.getByRole('slider', { name: 'Exposure' });
  await exposure.fill('0');
  await expect(page.getByTestId('viewer-exposure')).toHaveText('±0 EV');
  const neutral = await brightness(page);
  await exposure.fill('1.5');
  await expect(page.getByTestId('viewer-exposure')).toHaveText('+1.5 EV');
  expect(await brightness(page)).toBeGreaterThan(neutral + 1);
  await exposure.fill('0');
  const presets = page.getByRole('radiogroup', { name: 'Lighting' });
  const looks: number[] = [];
  for (const preset of ['Studio', 'Soft', 'Contrast']) {
    await presets.getByRole('radio', { name: preset }).click();
    await expect(presets.getByRole('radio', { name: preset })).toHaveAttribute('aria-checked', 'true');
    looks.push(await brightness(page));
  }
  expect(new Set(looks.map((b) => b.toFixed(1))).size).toBe(3);
  // Remembered for the next viewer.
  await page.reload();
  await page.waitForFunction(() => ((globalThis as unknown as PageGlobals).__viewerDebug?.frames() ?? 0) > 0);
  await page.getByRole('button', { name: 'Inspector' }).click();
  await expect(page.getByRole('radiogroup', { name: 'Lighting' }).getByRole('radio', { name: 'Contrast' })).toHaveAttribute('aria-checked', 'true');
});

test('the textures panel lays each texture flat with its size', async ({ page }) => {
  await openSphere(page);
  await page.locator('.mv-viewport').focus();
  await page.keyboard.press('t');
  const items = page.getByTestId('texture-item');
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText('Base colour');
  await expect(items.first().getByTestId('texture-size')).toHaveText('256 × 256 px');
  const drawn = await items.first().locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let opaque = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) opaque++;
    return opaque / (canvas.width * canvas.height);
  });
  expect(drawn).toBeGreaterThan(0.9);
  await items.first().getByRole('button').click();
  await expect(page.locator('.mv-texture-large canvas')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('textures.png') });
});

test('the large view fills the window without reloading; Esc leaves it', async ({ page }) => {
  await openSphere(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate(() => {
    const root = document.querySelector<HTMLElement>('.harness')!;
    root.style.width = '380px'; // the library's side pane
    root.style.height = '420px';
  });
  const loads = await loadCount(page);
  await page.getByRole('button', { name: 'Large view' }).click();
  await expect(page.locator('.mv')).toHaveAttribute('data-large', 'true');
  expect(await page.locator('.mv').boundingBox()).toEqual({ x: 0, y: 0, width: 1280, height: 800 });
  await page.waitForFunction(() => {
    const canvas = document.querySelector('canvas')!;
    return canvas.width === 1280 * devicePixelRatio;
  });
  expect((await coverage(page)).covered).toBeGreaterThan(0);
  await page.keyboard.press('Escape');
  await expect(page.locator('.mv')).not.toHaveAttribute('data-large');
  expect((await page.locator('.mv').boundingBox())!.width).toBe(380);
  expect(await loadCount(page)).toBe(loads);
});

for (const backdrop of ['dark', 'light'] as const) {
  test(`screenshot: the inspector in the large view (${backdrop})`, async ({ page }) => {
    await openSphere(page);
    if ((await page.locator('.mv').getAttribute('data-backdrop')) !== backdrop) await page.getByRole('button', { name: 'Light background' }).click();
    await page.getByRole('button', { name: 'Large view' }).click();
    await page.getByRole('button', { name: 'Inspector' }).click();
    await page.getByRole('radiogroup', { name: 'Lighting' }).getByRole('radio', { name: 'Studio' }).click();
    await page.getByRole('radiogroup', { name: 'View mode' }).getByRole('radio', { name: 'Wireframe' }).click();
    await page.getByRole('checkbox', { name: 'Ruler' }).check();
    await page.screenshot({ path: test.info().outputPath(`inspector-${backdrop}.png`) });
    await page.getByRole('radiogroup', { name: 'View mode' }).getByRole('radio', { name: 'UV checker' }).click();
    await page.screenshot({ path: test.info().outputPath(`inspector-uv-${backdrop}.png`) });
  });
}

// ---- in the app (scripted window.api) ------------------------------------------------------------

interface MockCalls {
  __mock: { calls: { channel: string; input: unknown }[] };
}

async function openLibraryModel(page: Page) {
  await openMockApp(page, defaultScenario({ library: { generate: 12 } }));
  await page.getByRole('button', { name: 'Library' }).click();
  await page.getByTestId('model-card').first().click();
  await expect(page.getByTestId('model-details')).toBeVisible();
}

test('compare: two models side by side, cameras linked, figures in one table', async ({ page }) => {
  await openLibraryModel(page);
  await page.getByRole('button', { name: 'Compare with…' }).click();
  const picker = page.getByRole('dialog');
  await picker.getByRole('button').filter({ hasText: 'Garden gnome 1' }).click();
  const compare = page.getByTestId('compare-view');
  await expect(compare).toBeVisible();
  await expect(compare.getByTestId('compare-viewer')).toHaveCount(2);
  const table = compare.getByTestId('compare-table');
  await expect(table.locator('thead')).toContainText('Ceramic vase 1');
  await expect(table.locator('thead')).toContainText('Garden gnome 1');
  await expect(table.getByRole('row', { name: /Triangles/ })).toContainText('4,000');
  await expect(table.getByRole('row', { name: /Size/ })).toContainText('cm', { timeout: 30_000 });
  // Orbit the left model: the right one turns with it.
  const right = compare.getByTestId('compare-viewer').nth(1).locator('canvas');
  await expect(right).toBeVisible({ timeout: 30_000 });
  await page.waitForTimeout(1500);
  const before = await right.screenshot();
  const left = (await compare.getByTestId('compare-viewer').nth(0).boundingBox())!;
  await page.mouse.move(left.x + left.width / 2, left.y + left.height / 2);
  await page.mouse.down();
  await page.mouse.move(left.x + left.width / 2 + 160, left.y + left.height / 2 + 40, { steps: 8 });
  await page.mouse.up();
  await page.waitForTimeout(1500);
  expect(Buffer.compare(before, await right.screenshot())).not.toBe(0);
  await page.screenshot({ path: test.info().outputPath('compare.png') });
  await page.keyboard.press('Escape');
  await expect(compare).toBeHidden();
  await expect(page.getByTestId('model-details')).toBeVisible(); // Esc closed only the compare view
});

test('make with another generator: queues the same photo with the chosen model and shows its estimate', async ({ page }) => {
  await openLibraryModel(page);
  await page.getByRole('button', { name: 'Make with another generator…' }).click();
  const dialog = page.getByRole('dialog');
  const generator = dialog.getByTestId('remake-generator');
  const options = await generator.locator('option').evaluateAll((list) => list.map((o) => (o as HTMLOptionElement).value));
  const scenario = defaultScenario();
  const pickId = options.find((id) => scenario.models.find((m) => m.id === id)!.priceByPreset.standard > 0)!;
  await generator.selectOption(pickId);
  await dialog.getByRole('combobox', { name: 'Quality' }).selectOption('standard');
  const price = scenario.models.find((m) => m.id === pickId)!.priceByPreset.standard;
  await expect(dialog.getByTestId('remake-estimate')).toContainText(price.toFixed(2));
  await dialog.getByRole('button', { name: 'Queue it' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(/Queued/)).toBeVisible();
  const calls = await page.evaluate(() => (window as unknown as MockCalls).__mock.calls.filter((c) => c.channel === 'library:remake'));
  expect(calls).toEqual([{ channel: 'library:remake', input: { modelId: 'm00000', endpoint: pickId, preset: 'standard' } }]);
  // The same again while that job is on its way: the core joins it, and the toast says so (it said "Queued").
  await page.getByRole('button', { name: 'Make with another generator…' }).click();
  await dialog.getByTestId('remake-generator').selectOption(pickId);
  await dialog.getByRole('combobox', { name: 'Quality' }).selectOption('standard');
  await dialog.getByRole('button', { name: 'Queue it' }).click();
  await expect(dialog).toBeHidden();
  const joined = page.getByRole('status').filter({ hasText: 'ceramic-vase-0.jpg is already on its way with these settings, so it joined that job: nothing new is charged.' });
  await expect(joined).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('remake-joined.png') });
});
