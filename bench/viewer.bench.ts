// `npm run bench:viewer`: figures for the 3D viewer, printed.
//  1. Time from navigation to the first finished frame showing a generated 100k-triangle GLB with a
//     1024 px texture, and to the first finished environment-lit frame, in our viewer, in
//     @google/model-viewer and in a minimal three.js page: same file, same Chromium run (launched as
//     playwright.config.ts does), same probe (bench/viewer/frame-probe.js).
//  2. GPU resources (renderer.info) after opening 50 models in turn, against the baseline.
//  3. The renderer's initial JavaScript, gzipped (entry chunks of out/renderer/index.html), and the
//     lazy chunks (where the viewer and three.js live).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from '@playwright/test';
import type { GpuMemory, ViewerDebug } from '../src/renderer/src/features/viewer/engine/debug-types';
import type { ViewerHarness } from '../src/renderer/src/features/viewer/harness/harness-api';
import { buildViewerHarness } from './viewer/build-harness';
import { launchChromium } from './viewer/chromium';
import { makeTestGlb } from './viewer/fixtures';
import { startHarnessServer, type HarnessServer } from './viewer/server';

const RUNS = Number(process.env.VIEWER_BENCH_RUNS ?? 5);
const SWITCH_MODELS = 50;
/** VIEWER_BENCH_SECTIONS=1 runs only the first-frame figures (e.g. while working on them). */
const SECTIONS = new Set((process.env.VIEWER_BENCH_SECTIONS ?? '1,2,3').split(',').map((s) => s.trim()));
const VIEWPORT = { width: 1280, height: 800 };

interface PageGlobals {
  __harness?: ViewerHarness;
  __viewerDebug?: ViewerDebug;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const ms = (value: number): string => `${Math.round(value)} ms`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

// ---- 1. time to first frame ------------------------------------------------------------------------

type PageName = 'ours' | 'model-viewer' | 'three.js';

interface ProbedFrame {
  at: number;
  share: number;
  lit: boolean;
}

interface FirstFrames {
  /** First finished frame showing the model (opaque pixels >= NON_BLANK), ms from navigation start. */
  textured: ProbedFrame;
  /** First finished frame showing the model under environment (image-based) lighting. */
  lit: ProbedFrame;
  /** Ours only: the environment build (main-thread ms, face size) and when it was in place. */
  environment?: { buildMs: number; faceSize: number; readyAt: number };
}

/** Share of a frame's pixels that must be opaque (the model) for it to count as showing the model. */
const NON_BLANK = 0.02;
const FRAME_PROBE = 'bench/viewer/frame-probe.js';

function pageUrl(server: HarnessServer, page: PageName, model: string): string {
  const base = page === 'ours' ? server.harnessUrl : page === 'model-viewer' ? server.modelViewerUrl : server.threePageUrl;
  return `${base}?model=${encodeURIComponent(model)}`;
}

/** Loads one page in a fresh context (cold cache) with the frame probe, and reads its frames. */
async function firstFrames(browser: Browser, server: HarnessServer, name: PageName, model: string): Promise<FirstFrames> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript({ path: FRAME_PROBE });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(pageUrl(server, name, model));
    await page
      .waitForFunction(() => (globalThis as unknown as ProbeGlobals).__frameProbe?.done() ?? false, null, { timeout: 120_000 })
      .catch((error: unknown) => {
        throw new Error(`${name}: no lit, non-blank frame (${errors.join('; ') || String(error)})`);
      });
    const frames = await page.evaluate(() => (globalThis as unknown as ProbeGlobals).__frameProbe!.frames());
    const textured = frames.find((f) => f.share >= NON_BLANK);
    const lit = frames.find((f) => f.lit && f.share >= NON_BLANK);
    if (!textured || !lit) throw new Error(`${name}: probe finished without a non-blank frame`);
    if (name !== 'ours') return { textured, lit };
    const environment = await page.evaluate(() => {
      const debug = (globalThis as unknown as PageGlobals).__viewerDebug!;
      const built = debug.environment();
      return built ? { ...built, readyAt: debug.environmentReadyAt()! } : undefined;
    });
    return { textured, lit, environment };
  } finally {
    await context.close();
  }
}

interface ProbeGlobals {
  __frameProbe?: { frames(): ProbedFrame[]; done(): boolean };
}

// ---- 2. GPU resources over 50 models -------------------------------------------------------------------

async function openAndWait(page: Page, url: string | null): Promise<void> {
  await page.evaluate((u) => (globalThis as unknown as PageGlobals).__harness!.open(u), url);
  if (url === null) return page.locator('.mv[data-status="empty"]').waitFor();
  await page.waitForFunction(
    (u) => {
      const loads = (globalThis as unknown as PageGlobals).__viewerDebug!.loads().filter((l) => l.url === u);
      const last = loads[loads.length - 1];
      if (last?.outcome === 'failed' || last?.outcome === 'canceled') throw new Error(`load ${last.outcome}: ${u}`);
      return last?.firstFrameAt != null;
    },
    url,
    { timeout: 120_000 },
  );
}

const memoryOf = (page: Page): Promise<GpuMemory> => page.evaluate(() => (globalThis as unknown as PageGlobals).__viewerDebug!.memory());

async function jsHeapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

async function gpuResourcesOverSwitches(browser: Browser, server: HarnessServer) {
  const urls: string[] = [];
  for (let i = 0; i <= SWITCH_MODELS; i++) {
    urls.push(server.addModel(`switch-${i}.glb`, await makeTestGlb({ triangles: 5000, textureSize: 256, seed: 100 + i })));
  }
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  try {
    await page.goto(server.harnessUrl);
    await page.waitForFunction(() => ((globalThis as unknown as PageGlobals).__viewerDebug?.frames() ?? 0) > 0);
    // Warm-up model: viewer-level resources (grid, image-based lighting) exist from here on.
    await openAndWait(page, urls[0]!);
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__viewerDebug!.environmentReadyAt() !== null, null, { timeout: 120_000 });
    await openAndWait(page, null);
    const baseline = await memoryOf(page);
    const heapBefore = await jsHeapAfterGc(page);

    let peak: GpuMemory = baseline;
    const started = performance.now();
    for (const url of urls.slice(1)) {
      await openAndWait(page, url);
      const now = await memoryOf(page);
      if (now.geometries + now.textures > peak.geometries + peak.textures) peak = now;
    }
    const elapsed = performance.now() - started;
    await openAndWait(page, null);
    const after = await memoryOf(page);
    const heapAfter = await jsHeapAfterGc(page);
    return { baseline, peak, after, heapBefore, heapAfter, elapsed };
  } finally {
    await context.close();
  }
}

// ---- 3. bundle sizes ----------------------------------------------------------------------------------

function rendererSizes() {
  const build = spawnSync('npx', ['electron-vite', 'build'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`electron-vite build failed:\n${build.stdout}\n${build.stderr}`);
  const html = readFileSync('out/renderer/index.html', 'utf8');
  const referenced = new Set<string>();
  for (const match of html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)) referenced.add(match[1]!);
  const assets = readdirSync('out/renderer/assets').map((name) => `assets/${name}`);
  const gz = (file: string) => gzipSync(readFileSync(join('out/renderer', file)), { level: 9 }).byteLength;
  const raw = (file: string) => readFileSync(join('out/renderer', file)).byteLength;
  const initialJs = [...referenced].filter((f) => f.endsWith('.js'));
  const initialCss = [...referenced].filter((f) => f.endsWith('.css'));
  // Draco/Basis files are fetched as worker sources only when a model needs them, never imported.
  const isDecoder = (f: string) => /draco_|basis_transcoder/.test(f);
  const decoders = assets.filter(isDecoder);
  const lazyJs = assets.filter((f) => f.endsWith('.js') && !referenced.has(f) && !isDecoder(f));
  const cdn = assets
    .filter((f) => f.endsWith('.js'))
    .filter((f) => /gstatic\.com|unpkg\.com|jsdelivr\.net|cdnjs\.|googleapis\.com/.test(readFileSync(join('out/renderer', f), 'utf8')));
  return { initialJs, initialCss, lazyJs, gz, raw, cdn, decoders };
}

// ---- printing ----------------------------------------------------------------------------------------

async function printFirstFrames(browser: Browser, server: HarnessServer, url: string, glb: Uint8Array): Promise<void> {
  // 1. First frames, rotating the order so load changes hit all pages alike.
  console.log(`\n1. First frames: ${(glb.byteLength / 1024 / 1024).toFixed(2)} MB GLB, ~100k triangles, 1024x1024 PNG texture, ${RUNS} runs per page`);
  const pages: PageName[] = ['ours', 'model-viewer', 'three.js'];
  const results: Record<PageName, FirstFrames[]> = { ours: [], 'model-viewer': [], 'three.js': [] };
  for (let run = 0; run < RUNS; run++) {
    const order = pages.map((_, i) => pages[(i + run) % pages.length]!);
    for (const name of order) results[name].push(await firstFrames(browser, server, name, url));
    const line = pages.map((name) => `${name} ${ms(results[name][run]!.textured.at)} / ${ms(results[name][run]!.lit.at)}`).join(', ');
    console.log(`   run ${run + 1} (textured / environment-lit): ${line}   [load ${loadavg()[0]!.toFixed(1)}]`);
  }
  console.log('   Method: each run loads each page in a fresh browser context (cold cache) with the model\'s URL in');
  console.log('   its address, so it starts at navigation. The same injected probe (bench/viewer/frame-probe.js)');
  console.log('   times all three pages: after each batch of draws to the canvas it reads 1 pixel back (which waits');
  console.log('   until the GPU has finished the frame), stamps performance.now() (ms since navigation start), then');
  console.log(`   reads that same frame back and counts opaque pixels; a frame "shows the model" at >= ${NON_BLANK * 100}%.`);
  console.log('   - first textured frame: the first finished frame showing the model (ours: stand-in lights if the');
  console.log('     environment is not ready yet);');
  console.log('   - environment-lit frame: the first finished frame showing the model while environment (image-based)');
  console.log("     lighting is in use (ours: the viewer's debug hook; model-viewer: its scene's environment; three.js:");
  console.log('     built before the model loads).');
  console.log('   Pages: ours = the viewer harness (the app\'s viewer chunk, lazily loaded, under the app\'s CSP);');
  console.log('   model-viewer 4.4.0 (its own bundled three); three.js = bench/viewer/three-page.ts (RoomEnvironment');
  console.log('   PMREM built first, then GLTFLoader, one render).');
  const med = (name: PageName, key: 'textured' | 'lit') => median(results[name].map((r) => r[key].at));
  const least = (name: PageName, key: 'textured' | 'lit') => Math.min(...results[name].map((r) => r[key].share));
  for (const name of pages) {
    console.log(
      `   ${name.padEnd(12)} median first textured frame ${ms(med(name, 'textured'))}, environment-lit frame ${ms(med(name, 'lit'))}` +
        `  (non-blank check: >= ${(least(name, 'textured') * 100).toFixed(0)}% / ${(least(name, 'lit') * 100).toFixed(0)}% opaque)`,
    );
  }
  const environments = results.ours.map((r) => r.environment).filter((e) => e !== undefined);
  if (environments.length > 0) {
    const build = median(environments.map((e) => e.buildMs));
    const afterReady = median(results.ours.map((r) => (r.environment ? r.lit.at - r.environment.readyAt : 0)));
    console.log(
      `   ours: environment (${environments[0]!.faceSize} px cube faces) built in ${ms(build)} on the main thread (median); the lit frame` +
        ` finished ${ms(afterReady)} after it was in place (shader compile + draw).`,
    );
  }
  type TimedKey = 'textured' | 'lit';
  const ratio = (key: TimedKey, other: PageName) => (med('ours', key) / med(other, key)).toFixed(2);
  console.log(`   RATIO first textured frame,   ours / model-viewer: ${ratio('textured', 'model-viewer')}   ours / three.js: ${ratio('textured', 'three.js')}`);
  console.log(`   RATIO environment-lit frame,  ours / model-viewer: ${ratio('lit', 'model-viewer')}   ours / three.js: ${ratio('lit', 'three.js')}`);
  console.log('   (Software GL: environment maps are CPU-rendered here, so on a GPU all times are much shorter.)');
}

async function printGpuResources(browser: Browser, server: HarnessServer): Promise<void> {
  console.log(`\n2. GPU resources (renderer.info) over ${SWITCH_MODELS} models opened in turn (5k triangles, 256 px texture each)`);
  const gpu = await gpuResourcesOverSwitches(browser, server);
  const fmt = (m: GpuMemory) => `geometries ${m.geometries}, textures ${m.textures}, programs ${m.programs}`;
  console.log(`   baseline (viewer open, no model): ${fmt(gpu.baseline)}`);
  console.log(`   highest while a model was shown:   ${fmt(gpu.peak)}`);
  console.log(`   after the 50th model was closed:  ${fmt(gpu.after)}`);
  const back = gpu.after.geometries === gpu.baseline.geometries && gpu.after.textures === gpu.baseline.textures && gpu.after.programs === gpu.baseline.programs;
  console.log(`   BACK TO BASELINE: ${back ? 'yes' : 'NO'}`);
  console.log(`   JS heap after GC: ${(gpu.heapBefore / 1048576).toFixed(1)} MB before, ${(gpu.heapAfter / 1048576).toFixed(1)} MB after (${SWITCH_MODELS} models in ${(gpu.elapsed / 1000).toFixed(1)} s)`);
}

// ---- main ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log('Viewer benchmark');
  console.log(`Machine: load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min); software WebGL (SwiftShader), so times are CPU-bound and noisy.\n`);

  const work = mkdtempSync(join(tmpdir(), 'viewer-bench-'));
  let server: HarnessServer | null = null;
  let browser: Browser | null = null;
  try {
    await buildViewerHarness({ outDir: join(work, 'harness'), mode: 'test', threePage: true });
    server = await startHarnessServer(join(work, 'harness'));
    const glb = await makeTestGlb({ triangles: 100_000, textureSize: 1024, seed: 42 });
    const url = server.addModel('bench-100k.glb', glb);
    browser = await launchChromium();
    console.log(`Chromium ${browser.version()}, viewport ${VIEWPORT.width}x${VIEWPORT.height}`);

    if (SECTIONS.has('1')) await printFirstFrames(browser, server, url, glb);
    if (SECTIONS.has('2')) await printGpuResources(browser, server);
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  }

  // 3. Bundle sizes.
  if (!SECTIONS.has('3')) return;
  console.log('\n3. Renderer bundle (npx electron-vite build; gzip level 9)');
  const sizes = rendererSizes();
  const initialGz = sizes.initialJs.reduce((sum, f) => sum + sizes.gz(f), 0);
  for (const f of sizes.initialJs) console.log(`   initial  ${f}: ${kb(sizes.raw(f))} raw, ${kb(sizes.gz(f))} gzipped`);
  for (const f of sizes.initialCss) console.log(`   initial  ${f}: ${kb(sizes.raw(f))} raw, ${kb(sizes.gz(f))} gzipped (CSS)`);
  for (const f of sizes.lazyJs) console.log(`   lazy     ${f}: ${kb(sizes.raw(f))} raw, ${kb(sizes.gz(f))} gzipped`);
  const lazyGz = sizes.lazyJs.reduce((sum, f) => sum + sizes.gz(f), 0);
  console.log(`   INITIAL JS (entry chunks referenced by out/renderer/index.html), gzipped: ${kb(initialGz)}`);
  console.log(`   LAZY JS chunks (dynamic import: viewer with three.js, meshopt, ...), gzipped: ${kb(lazyGz)}`);
  if (!sizes.lazyJs.some((f) => /ModelViewer/.test(f))) console.log('   (the app does not import the viewer yet: no ModelViewer chunk in this build)');
  console.log('   Decoder files (same-origin assets, fetched only for Draco/KTX2 models):');
  for (const f of sizes.decoders) console.log(`            ${f}: ${kb(sizes.raw(f))} raw`);
  console.log('   (draco_decoder-*.js, the asm.js fallback, and the general-purpose Draco build are emitted because');
  console.log("    three's DRACOLoader references them; the viewer loads only the glTF Draco build's wrapper and wasm.)");
  console.log(`   CDN references in built JS: ${sizes.cdn.length ? sizes.cdn.join(', ') : 'none'}`);
}

await main();
