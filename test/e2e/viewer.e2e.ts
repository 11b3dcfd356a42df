// The 3D viewer in Debian Chromium, alone in its harness page (bench/viewer/harness.html) under the
// app's CSP. The harness is a development build, so React's StrictMode mounts, unmounts and
// remounts the viewer exactly as it does in `npm run dev`.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { validateGlb } from '../../src/core/library/glb';
import type { GpuMemory, ViewerDebug, ViewerDisposal } from '../../src/renderer/src/features/viewer/engine/debug-types';
import type { ViewerHarness } from '../../src/renderer/src/features/viewer/harness/harness-api';
import { buildViewerHarness } from '../../bench/viewer/build-harness';
import { compressedGlb, ktx2Glb, makeTestGlb } from '../../bench/viewer/fixtures';
import { startHarnessServer, type HarnessServer } from '../../bench/viewer/server';

interface PageGlobals {
  __harness?: ViewerHarness;
  __viewerDebug?: ViewerDebug;
  __viewerDisposals?: ViewerDisposal[];
  __cspViolations?: string[];
}

interface Fixture {
  url: string;
  triangles: number;
}

test.describe.configure({ mode: 'serial' });

let server: HarnessServer;
const models: Record<'sphereA' | 'sphereB' | 'sphereC' | 'slow' | 'draco' | 'meshopt' | 'ktx2' | 'garbage', Fixture> = {} as never;

async function addFixture(name: keyof typeof models, bytes: Uint8Array, options?: { delayMs?: number }): Promise<void> {
  const report = await validateGlb(bytes);
  models[name] = { url: server.addModel(`${name}.glb`, bytes, options), triangles: report.ok ? report.stats.triangles : 0 };
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await buildViewerHarness({ outDir: 'test-results/viewer-harness', mode: 'development' });
  server = await startHarnessServer('test-results/viewer-harness');
  await addFixture('sphereA', await makeTestGlb({ triangles: 2000, seed: 1 }));
  await addFixture('sphereB', await makeTestGlb({ triangles: 3000, seed: 2 }));
  await addFixture('sphereC', await makeTestGlb({ triangles: 3000, seed: 3 }));
  await addFixture('slow', await makeTestGlb({ triangles: 8000, seed: 4 }), { delayMs: 1500 });
  await addFixture('draco', await compressedGlb('draco', { triangles: 2500, seed: 5 }));
  await addFixture('meshopt', await compressedGlb('meshopt', { triangles: 2500, seed: 6 }));
  await addFixture('ktx2', await ktx2Glb());
  models.garbage = { url: server.addModel('garbage.glb', new TextEncoder().encode('this is not a model')), triangles: 0 };
});

test.afterAll(async () => server?.close());

// ---- page helpers (each evaluate callback runs in the page) ---------------------------------------

const requestsOffOrigin: string[] = [];

async function openHarness(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const g = globalThis as unknown as PageGlobals & { document: { addEventListener(type: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void } };
    g.__cspViolations = [];
    g.document.addEventListener('securitypolicyviolation', (e) => g.__cspViolations!.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url) && !/^(blob|data):/.test(url)) requestsOffOrigin.push(url);
  });
  await page.goto(server.harnessUrl);
  await page.waitForFunction(() => {
    const g = globalThis as unknown as PageGlobals;
    return g.__harness !== undefined && (g.__viewerDebug?.frames() ?? 0) > 0;
  });
}

function open(page: Page, url: string | null, name?: string): Promise<number> {
  return page.evaluate(([u, n]) => (globalThis as unknown as PageGlobals).__harness!.open(u, n ?? undefined), [url, name ?? null] as const);
}

/** Waits until the latest load of `url` is on screen (or ended otherwise, which fails the test). */
async function waitShown(page: Page, url: string): Promise<void> {
  const outcome = await page.waitForFunction((u) => {
    const loads = (globalThis as unknown as PageGlobals).__viewerDebug?.loads().filter((l) => l.url === u) ?? [];
    const last = loads[loads.length - 1];
    if (!last || last.outcome === 'pending' || (last.outcome === 'shown' && last.firstFrameAt === null)) return false;
    return last.outcome;
  }, url);
  expect(await outcome.jsonValue()).toBe('shown');
}

function memory(page: Page): Promise<GpuMemory> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__viewerDebug!.memory());
}

function frames(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__viewerDebug!.frames());
}

test.afterEach(async ({ page }) => {
  const violations = await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations ?? []).catch(() => []);
  expect(violations, 'CSP violations').toEqual([]);
  expect(requestsOffOrigin.splice(0), 'requests that left the app origin').toEqual([]);
});

// ---- tests ------------------------------------------------------------------------------------------

test('draws a textured GLB and shows its stats', async ({ page }) => {
  await openHarness(page);
  await open(page, models.sphereA.url, 'Sphere A.glb');
  await waitShown(page, models.sphereA.url);

  const coverage = await page.evaluate(() => (globalThis as unknown as PageGlobals).__viewerDebug!.coverage());
  expect(coverage.covered / coverage.total).toBeGreaterThan(0.05);

  const stats = page.getByTestId('viewer-stats');
  await expect(stats).toBeVisible();
  await expect(page.getByTestId('viewer-stat-triangles')).toHaveText(models.sphereA.triangles.toLocaleString('en-US'));
  await expect(page.getByTestId('viewer-stat-textures')).toContainText('256 × 256');
  await expect(page.getByTestId('viewer-stat-textures')).toContainText('PNG');
  const reports = await page.evaluate(() => (globalThis as unknown as PageGlobals).__harness!.statsReports());
  expect(reports.at(-1)).toMatchObject({ triangles: models.sphereA.triangles, materials: 1, textures: [{ width: 256, height: 256, mimeType: 'image/png' }] });
  expect(reports.at(-1)!.fileSize).toBeGreaterThan(0);
  await expect(page.locator('.mv-name')).toHaveText('Sphere A.glb');
});

test('switching and closing models gives every GPU resource back', async ({ page }) => {
  await openHarness(page);
  // Warm up the viewer-level resources first (grid, image-based lighting), then take the baseline.
  await open(page, models.sphereA.url);
  await waitShown(page, models.sphereA.url);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__viewerDebug!.environmentReadyAt() !== null);
  await open(page, null);
  await expect(page.getByText('No model open')).toBeVisible();
  const baseline = await memory(page);

  await open(page, models.sphereB.url);
  await waitShown(page, models.sphereB.url);
  const withOne = await memory(page);
  expect(withOne.geometries).toBeGreaterThan(baseline.geometries);
  expect(withOne.textures).toBeGreaterThan(baseline.textures);

  await open(page, models.sphereC.url); // switch: B must be disposed
  await waitShown(page, models.sphereC.url);
  expect(await memory(page)).toEqual(withOne);

  await open(page, null);
  await expect(page.getByText('No model open')).toBeVisible();
  expect(await memory(page)).toEqual(baseline);

  // Unmounting releases the rest; the renderer reports what was left just before it went.
  const before = await page.evaluate(() => (globalThis as unknown as PageGlobals).__viewerDisposals?.length ?? 0);
  await page.evaluate(() => (globalThis as unknown as PageGlobals).__harness!.setMounted(false));
  await page.waitForFunction((n) => ((globalThis as unknown as PageGlobals).__viewerDisposals?.length ?? 0) > n, before);
  const last = await page.evaluate(() => (globalThis as unknown as PageGlobals).__viewerDisposals!.at(-1)!.before);
  expect(last.geometries).toBe(0);
  expect(last.programs).toBe(0);
  // At most three's own 16x16 DFG lookup table: one texture shared by every renderer on the page,
  // uploaded once per context and freed with the context (the viewer forces the context loss).
  expect(last.textures).toBeLessThanOrEqual(1);
  await expect(page.locator('canvas')).toHaveCount(0);
});

test('image-based lighting is a small environment built after the first frame, then drawn', async ({ page }) => {
  await openHarness(page);
  await open(page, models.sphereA.url);
  await waitShown(page, models.sphereA.url);
  const environment = await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__viewerDebug!.environment() ?? false);
  // three's floor is 256 px faces; 64 px is a fraction of the prefiltering work on software GL.
  expect(await environment.jsonValue()).toMatchObject({ faceSize: 64 });
  const { firstFrameAt, readyAt } = await page.evaluate(() => {
    const debug = (globalThis as unknown as PageGlobals).__viewerDebug!;
    return { firstFrameAt: debug.loads().at(-1)!.firstFrameAt!, readyAt: debug.environmentReadyAt()! };
  });
  expect(readyAt).toBeGreaterThan(firstFrameAt); // the model was shown first, under the stand-in lights
  const coverage = await page.evaluate(() => (globalThis as unknown as PageGlobals).__viewerDebug!.coverage());
  expect(coverage.covered / coverage.total).toBeGreaterThan(0.05);
  await page.screenshot({ path: test.info().outputPath('environment-lit.png') });
});

test('a newer model cancels a load still in flight', async ({ page }) => {
  await openHarness(page);
  await open(page, models.slow.url); // its response is held back for 1.5 s
  await page.waitForFunction(
    (u) => (globalThis as unknown as PageGlobals).__viewerDebug!.loads().some((l) => l.url === u && l.outcome === 'pending'),
    models.slow.url,
  );
  await open(page, models.sphereB.url);
  await waitShown(page, models.sphereB.url);
  await page.waitForFunction(
    (u) => (globalThis as unknown as PageGlobals).__viewerDebug!.loads().some((l) => l.url === u && l.outcome === 'canceled'),
    models.slow.url,
  );
  await page.waitForTimeout(1800); // past the held response: a stale load must still not appear
  await expect(page.getByTestId('viewer-stat-triangles')).toHaveText(models.sphereB.triangles.toLocaleString('en-US'));
  const reports = await page.evaluate(() => (globalThis as unknown as PageGlobals).__harness!.statsReports());
  expect(reports.map((r) => r.triangles)).not.toContain(models.slow.triangles);
});

test('the screenshot button downloads a PNG of the view', async ({ page }) => {
  await openHarness(page);
  await open(page, models.sphereA.url, 'Sphere: A.glb');
  await waitShown(page, models.sphereA.url);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save screenshot' }).click()]);
  expect(download.suggestedFilename()).toBe('Sphere_ A.png');
  const png = readFileSync(await download.path());
  const meta = await sharp(png).metadata();
  expect(meta.format).toBe('png');
  expect([meta.width, meta.height]).toEqual([1280, 800]);
  // Not a flat image: the model stands out from the backdrop.
  const { channels } = await sharp(png).stats();
  expect(Math.max(...channels.map((c) => c.stdev))).toBeGreaterThan(10);
});

test('toolbar buttons are focusable and follow the keyboard shortcuts; idle means no frames', async ({ page }) => {
  await openHarness(page);
  await open(page, models.sphereA.url);
  await waitShown(page, models.sphereA.url);
  const viewport = page.locator('.mv-viewport');
  await viewport.focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Reset view' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('button', { name: 'Wireframe' })).toBeFocused();

  const pressed = (name: string) => page.getByRole('button', { name, exact: true });
  await viewport.focus();
  await page.keyboard.press('w');
  await expect(pressed('Wireframe')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('g');
  await expect(pressed('Ground grid')).toHaveAttribute('aria-pressed', 'false');
  const backdrop = await page.locator('.mv').getAttribute('data-backdrop');
  await page.keyboard.press('b');
  await expect(page.locator('.mv')).not.toHaveAttribute('data-backdrop', backdrop!);
  await page.keyboard.press('i');
  await expect(page.getByTestId('viewer-stats')).toHaveCount(0);

  // Auto-rotate drives a loop; once off (and the damping settled) no frame is drawn.
  await page.keyboard.press('a');
  await expect(pressed('Auto-rotate')).toHaveAttribute('aria-pressed', 'true');
  const rotating = await frames(page);
  await expect.poll(() => frames(page)).toBeGreaterThan(rotating + 2);
  await page.keyboard.press('a');
  await expect(pressed('Auto-rotate')).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('r');
  // The lighting swap draws one more frame: let it happen before watching for idleness.
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__viewerDebug!.environmentReadyAt() !== null);
  await page.waitForTimeout(1000);
  const idle = await frames(page);
  await page.waitForTimeout(500);
  expect(await frames(page)).toBe(idle);
});

test('Draco and meshopt files decode with the decoders shipped in the build', async ({ page }) => {
  await openHarness(page);
  for (const name of ['draco', 'meshopt'] as const) {
    await open(page, models[name].url);
    await waitShown(page, models[name].url);
    await expect(page.getByTestId('viewer-stat-triangles')).toHaveText(models[name].triangles.toLocaleString('en-US'));
    const coverage = await page.evaluate(() => (globalThis as unknown as PageGlobals).__viewerDebug!.coverage());
    expect(coverage.covered).toBeGreaterThan(0);
  }
  const fetched = server.requests.filter((path) => path.startsWith('/assets/')).join('\n');
  expect(fetched).toMatch(/draco_wasm_wrapper-.*\.js/);
  expect(fetched).toMatch(/draco_decoder-.*\.wasm/);
  expect(fetched).toMatch(/meshopt_decoder.*\.js/);
});

test("KTX2 textures: refused plainly under the app's CSP, transcoded locally where eval is allowed", async ({ page }) => {
  await openHarness(page);
  await open(page, models.ktx2.url);
  await expect(page.getByRole('alert')).toContainText('KTX2');
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__harness!.errorReports())).toHaveLength(1);
  // The one violation is the viewer's own probe for string evaluation.
  const violations = await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations!.splice(0));
  expect(violations).toEqual([expect.stringMatching(/^script-src eval/)]);

  // With 'unsafe-eval' the Basis transcoder shipped in the build is fetched from the app's origin.
  test.setTimeout(90_000);
  await buildViewerHarness({ outDir: 'test-results/viewer-harness-eval', mode: 'development', allowEval: true });
  const evalServer = await startHarnessServer('test-results/viewer-harness-eval');
  try {
    const url = evalServer.addModel('ktx2.glb', await ktx2Glb());
    await page.goto(evalServer.harnessUrl);
    await page.waitForFunction(() => ((globalThis as unknown as PageGlobals).__viewerDebug?.frames() ?? 0) > 0);
    await open(page, url);
    await waitShown(page, url);
    await expect(page.getByTestId('viewer-stat-textures')).toContainText('KTX2');
    const fetched = evalServer.requests.join('\n');
    expect(fetched).toMatch(/\/assets\/basis_transcoder-.*\.js/);
    expect(fetched).toMatch(/\/assets\/basis_transcoder-.*\.wasm/);
  } finally {
    await evalServer.close();
  }
});

test('a file that is not a model shows an error and reports it', async ({ page }) => {
  await openHarness(page);
  await open(page, models.garbage.url);
  await expect(page.getByRole('alert')).toContainText('could not be opened as a glTF model');
  const errors = await page.evaluate(() => (globalThis as unknown as PageGlobals).__harness!.errorReports());
  expect(errors).toHaveLength(1);

  await open(page, `${server.origin}/models/missing.glb`);
  await expect(page.getByRole('alert')).toContainText('HTTP 404');
});
