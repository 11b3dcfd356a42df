// Serves the built renderer to Chromium with a scripted in-page `window.api` (no app core), so every
// screen state (banners, failed jobs, a 10,000-model library) can be shown and photographed on demand.
// The real end-to-end flow lives in create-flow.e2e.ts; this harness is for the UI's own behaviour.
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { listModels } from '../../../src/core/models/catalog';
import { describeModel } from '../../../src/core/models/summary';
import type { AppInfo } from '../../../src/shared/contract';
import type { Job, KeyStatus, LibraryModel, QueueState } from '../../../src/shared/domain';
import type { ModelSummary } from '../../../src/shared/models';
import type { Settings } from '../../../src/shared/settings';
import { DURATION_BUCKETS_S, type RequestStatus, type StatsReport } from '../../../src/shared/stats';
import { SAMPLES, sampleFileName, type Sample, type SampleId } from '../../../src/shared/samples';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import { makeTestGlb } from '../../fixtures/make-glb';

export const MOCK_ORIGIN = 'http://i2m.test';
/** Built renderer to serve (UI_DIST overrides, e.g. a private build folder). */
export const RENDERER_DIR = process.env.UI_DIST ?? join(process.cwd(), 'out/renderer');

export interface MockScenario {
  appInfo: AppInfo;
  settings: Settings;
  keyStatus: KeyStatus;
  models: ModelSummary[];
  jobs: Job[];
  queue: QueueState;
  cost: { todayUsd: number; monthUsd: number; capUsd: number | null; capReached: boolean };
  /** Explicit library items, or a count of generated ones. */
  library: LibraryModel[] | { generate: number };
  /** The sample photos offered on an empty queue (served from resources/samples). */
  samples: Sample[];
  /** FAL requests as the core records them; the Stats view's report is summed from these per range. */
  stats: MockStats;
}

/** One recorded FAL request (src/core/stats records the same facts). */
export interface MockStatsRequest {
  endpoint: string;
  status: RequestStatus;
  finishedAt: number;
  seconds: number;
  errorType?: string;
  estimatedUsd: number;
}

export interface MockStats {
  requests: MockStatsRequest[];
  rateLimits: { endpoint: string; at: number }[];
  /** DURATION_BUCKETS_S, handed to the page (the mock api runs there, without imports). */
  bucketsS: readonly number[];
}

const DAY_MS = 86_400_000;

/** Three weeks of requests to three models, with failures, an uncertain submit, a cancel and 429s. */
export function mockStats(now = Date.now()): MockStats {
  const trellis = 'fal-ai/trellis';
  const tripo = 'tripo3d/tripo/v2.5/image-to-3d';
  const hunyuan = 'fal-ai/hunyuan3d-v21';
  const price: Record<string, number> = { [trellis]: 0.02, [tripo]: 0.3, [hunyuan]: 0.16 };
  const requests: MockStatsRequest[] = [];
  let n = 0;
  const add = (endpoint: string, daysAgo: number, seconds: number, status: RequestStatus = 'succeeded', errorType?: string) =>
    requests.push({
      endpoint,
      status,
      finishedAt: now - daysAgo * DAY_MS - (n++ % 7) * 60_000,
      seconds,
      ...(errorType ? { errorType } : {}),
      estimatedUsd: status === 'succeeded' ? price[endpoint]! : 0,
    });
  for (let day = 0; day < 21; day++) {
    for (let i = 0; i < (day % 5) + 2; i++) add(trellis, day, 8 + ((day * 7 + i * 13) % 50));
    if (day % 2 === 0) add(tripo, day, 45 + ((day * 11) % 90));
    if (day % 3 === 0) add(hunyuan, day, 25 + day);
  }
  add(trellis, 1, 3, 'failed', 'server_error');
  add(tripo, 4, 200, 'failed', 'run_failed');
  add(tripo, 9, 720, 'failed', 'fal_timeout');
  add(hunyuan, 3, 1, 'uncertain', 'submit_uncertain');
  add(trellis, 5, 30, 'canceled');
  const rateLimits = [0, 1, 2, 6].map((d) => ({ endpoint: trellis, at: now - d * DAY_MS })).concat({ endpoint: tripo, at: now - 2 * DAY_MS });
  return { requests, rateLimits, bucketsS: DURATION_BUCKETS_S };
}

/** `YYYY-MM-DD` in this machine's time zone, as src/core/stats/day.ts (the page's copy is in installMockApi). */
export function mockLocalDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const SAMPLES_DIR = join(process.cwd(), 'resources/samples');

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** A queued Tripo job two minutes old; `patch` sets what a scenario shows (state, errors, times). */
export function mockJob(id: string, patch: Partial<Job> = {}): Job {
  return {
    id,
    state: 'queued',
    endpoint: 'tripo3d/tripo/v2.5/image-to-3d',
    preset: 'standard',
    inputName: `${id}.jpg`,
    inputSha256: id,
    progress: 0,
    queuePosition: null,
    message: null,
    errorCode: null,
    errorMessage: null,
    attempts: 1,
    createdAt: Date.now() - 120_000,
    startedAt: null,
    finishedAt: null,
    modelId: null,
    estimatedCostUsd: 0.3,
    falRequestId: null,
    requestFinished: false,
    ...patch,
  };
}

export function defaultScenario(overrides: Partial<MockScenario> = {}): MockScenario {
  return {
    appInfo: {
      name: 'Image2Model',
      version: '0.1.0',
      dataDir: '/home/ada/.config/image2model',
      fileBaseUrl: `${MOCK_ORIGIN}/files/`,
      platform: 'linux',
      falKey: { configured: true, source: 'stored' },
      transport: 'web',
    },
    settings: { ...DEFAULT_SETTINGS },
    keyStatus: { set: true, last4: 'f3a9', source: 'stored', backend: 'gnome_libsecret', needsReentry: false, weakProtection: false },
    models: listModels().map(describeModel),
    jobs: [],
    queue: { status: 'running', message: null, running: 0, queued: 0, resumesAt: null },
    cost: { todayUsd: 1.2, monthUsd: 14.6, capUsd: null, capReached: false },
    library: [],
    samples: [...SAMPLES],
    stats: mockStats(),
    ...overrides,
  };
}

/** Spreads neighbouring ids (m00001, m00002...) across the colour wheel. */
const hueOf = (id: string) => {
  const n = [...id].reduce((h, c) => (Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0), 2166136261);
  return (n % 24) * 15;
};

/** A soft "rendered object" preview: a shaded blob in a hue picked from the id. */
function previewSvg(id: string): string {
  const hue = hueOf(id);
  const shape = hue % 3;
  const body =
    shape === 0
      ? '<ellipse cx="128" cy="120" rx="70" ry="78" fill="url(#g)"/>'
      : shape === 1
        ? '<rect x="62" y="52" width="132" height="140" rx="34" fill="url(#g)"/>'
        : '<path d="M128 40 L206 176 Q210 190 196 190 L60 190 Q46 190 50 176 Z" fill="url(#g)"/>';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256">
    <defs><radialGradient id="g" cx="38%" cy="32%" r="75%">
      <stop offset="0" stop-color="hsl(${hue} 70% 78%)"/><stop offset="0.55" stop-color="hsl(${hue} 55% 52%)"/>
      <stop offset="1" stop-color="hsl(${hue} 50% 26%)"/></radialGradient></defs>
    <ellipse cx="128" cy="212" rx="70" ry="12" fill="rgba(0,0,0,0.16)"/>${body}</svg>`;
}

/** A "photo" for job thumbnails: a coloured backdrop with an object in front. */
function photoSvg(id: string): string {
  const hue = hueOf(id);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160">
    <defs><linearGradient id="b" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${(hue + 40) % 360} 30% 88%)"/>
    <stop offset="1" stop-color="hsl(${(hue + 40) % 360} 25% 70%)"/></linearGradient></defs>
    <rect width="160" height="160" fill="url(#b)"/><circle cx="80" cy="84" r="44" fill="hsl(${hue} 60% 50%)"/>
    <ellipse cx="66" cy="68" rx="14" ry="10" fill="rgba(255,255,255,0.45)"/></svg>`;
}

export async function openMockApp(page: Page, scenario: MockScenario): Promise<void> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error(`No built renderer in ${RENDERER_DIR}; run npx electron-vite build`);
  const glb = await makeTestGlb({ triangles: 6000, textured: true, textureSize: 256, seed: 3 });
  await page.route(`${MOCK_ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    const sample = /^\/files\/sample\/([a-z]+)$/.exec(url.pathname);
    if (sample && SAMPLES.some((s) => s.id === sample[1])) {
      return route.fulfill({ body: readFileSync(join(SAMPLES_DIR, sampleFileName(sample[1] as SampleId))), contentType: 'image/jpeg' });
    }
    const file = /^\/files\/(model|preview|input)\/(.+)$/.exec(url.pathname);
    if (file) {
      const [, kind, id] = file;
      if (kind === 'model') return route.fulfill({ body: Buffer.from(glb), contentType: 'model/gltf-binary' });
      if (id!.endsWith('missing')) return route.fulfill({ status: 404, body: 'Not found' });
      const png = await sharp(Buffer.from(kind === 'preview' ? previewSvg(id!) : photoSvg(id!))).png().toBuffer();
      return route.fulfill({ body: png, contentType: 'image/png' });
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const full = normalize(join(RENDERER_DIR, rel));
    if (!full.startsWith(normalize(RENDERER_DIR) + sep) || !existsSync(full)) return route.fulfill({ status: 404, body: 'Not found' });
    return route.fulfill({ body: readFileSync(full), contentType: TYPES[extname(full)] ?? 'application/octet-stream' });
  });
  await page.addInitScript(installMockApi, scenario);
  await page.goto(`${MOCK_ORIGIN}/`);
}

/** Runs in the page before the app: a window.api that answers from the scenario. Self-contained. */
function installMockApi(scenario: MockScenario): void {
  type Listener = (payload: unknown) => void;
  const listeners = new Map<string, Set<Listener>>();
  const calls: { channel: string; input: unknown }[] = [];
  const state = {
    ...scenario,
    jobs: [...scenario.jobs],
    library: [] as LibraryModel[],
  };
  const names = ['Ceramic vase', 'Garden gnome', 'Sneaker', 'Desk lamp', 'Teapot', 'Robot toy', 'Armchair', 'Cactus pot', 'Helmet', 'Owl figurine'];
  if (Array.isArray(scenario.library)) state.library = [...scenario.library];
  else {
    const endpoints = scenario.models.map((m) => m.id);
    const start = Date.UTC(2026, 10, 20, 15, 0, 0);
    for (let i = 0; i < scenario.library.generate; i++) {
      const triangles = 4000 + ((i * 7919) % 96000);
      state.library.push({
        id: `m${String(i).padStart(5, '0')}`,
        name: `${names[i % names.length]} ${Math.floor(i / names.length) + 1}`,
        createdAt: start - i * 3_600_000,
        endpoint: endpoints[i % endpoints.length]!,
        preset: (['draft', 'standard', 'high'] as const)[i % 3]!,
        jobId: `j${i}`,
        sha256: `sha${i}`,
        stats: { triangles, vertices: Math.round(triangles * 0.52), materials: 1, textures: [{ width: 1024, height: 1024, mimeType: 'image/png', bytes: 900_000 }], fileSize: 1_200_000 + triangles * 40 },
        tags: [],
        hasPreview: i % 9 !== 4,
        costUsd: i % 5 === 4 ? 0 : 0.3,
        sourceName: `${names[i % names.length]!.toLowerCase().replace(/ /g, '-')}-${i}.jpg`,
      });
    }
  }
  const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  // Copies, as a real transport delivers: the page never shares objects with this fake's state.
  const ok = (data: unknown) => Promise.resolve({ ok: true, data: structuredClone(data) });
  const fail = (code: string, message: string) => Promise.resolve({ ok: false, error: { code, message } });
  let nextJob = 1;
  // As the core: the same photo (here: the same name) with the same settings while its job is on its
  // way, or needs attention, joins that job instead of making a new one.
  const onItsWay = (name: string, endpoint?: string, preset?: Job['preset']) =>
    state.jobs.find(
      (j) => j.inputName === name && !['succeeded', 'failed', 'canceled'].includes(j.state) && (!endpoint || j.endpoint === endpoint) && (!preset || j.preset === preset),
    );

  const handlers: Record<string, (input: never) => Promise<unknown>> = {
    'app:info': () => ok({ ...state.appInfo, falKey: { configured: state.keyStatus.set, source: state.keyStatus.source } }),
    'settings:get': () => ok(state.settings),
    'settings:set': (patch: Partial<Settings>) => {
      // As the core: setting the generator is choosing it.
      const choosing = patch.defaultModel !== undefined && patch.defaultModelChosen === undefined;
      state.settings = { ...state.settings, ...patch, ...(choosing ? { defaultModelChosen: true } : {}) };
      emit('settings:changed', state.settings);
      return ok(state.settings);
    },
    'models:list': () => ok(state.models),
    'jobs:list': () => ok(state.jobs),
    'queue:state': () => ok(state.queue),
    'cost:summary': () => ok(state.cost),
    'key:status': () => ok(state.keyStatus),
    'key:set': ({ key, allowWeak }: { key: string; allowWeak?: boolean }) => {
      // As the core: without a keychain (basic_text) the key is only obfuscated, so it asks first.
      if (state.keyStatus.backend === 'basic_text' && !allowWeak) {
        return fail('confirmation_required', 'This system has no keychain (such as GNOME Keyring or KWallet) to encrypt the key with.');
      }
      state.keyStatus = { ...state.keyStatus, set: true, last4: key.slice(-4), source: 'stored' };
      return ok(state.keyStatus);
    },
    'key:clear': () => {
      state.keyStatus = { ...state.keyStatus, set: false, last4: null, source: null };
      return ok(state.keyStatus);
    },
    'key:test': () => ok({ result: 'accepted', message: 'FAL accepted the key.' }),
    'proxy:get': () => ok({ url: state.settings.falProxyUrl, sendKey: false }),
    'watch:status': () => ok({ state: 'off', folder: null, problem: null, taken: 0, alreadyMade: 0, waiting: 0, refused: [] }),
    // The mock stands for a user who confirms the dialog.
    'proxy:set': ({ url, sendKey }: { url: string | null; sendKey?: boolean }) => {
      state.settings = { ...state.settings, falProxyUrl: url };
      return ok({ applied: true, proxy: { url, sendKey: url !== null && !!sendKey } });
    },
    'jobs:add': ({ items, endpoint, preset, force }: { items: { kind: string; name?: string; path?: string }[]; endpoint: string; preset: Job['preset']; force?: boolean }) => {
      const added: Job[] = [];
      const rejected: { input: string; reason: string }[] = [];
      // Each entry says where its image was in `items`, as the core's (two images can share a name).
      const duplicates: { input: string; modelId: string; item: number }[] = [];
      const joined: { input: string; jobId: string; sameCall?: boolean; item: number }[] = [];
      const made = new Set<string>();
      for (const [place, item] of items.entries()) {
        const name = item.name ?? item.path ?? 'image';
        if (name.startsWith('dup-') && !force) {
          duplicates.push({ input: name, modelId: state.library[0]?.id ?? 'm00000', item: place });
          continue;
        }
        // As the core: the same photo (here: the same name) while its job is on its way, or needs
        // attention, joins that job unless asked for anyway (force).
        const twin = force ? undefined : state.jobs.find((j) => j.inputName === name && !['succeeded', 'failed', 'canceled'].includes(j.state));
        if (twin) {
          joined.push({ input: name, jobId: twin.id, ...(made.has(twin.id) ? { sameCall: true } : {}), item: place });
          if (!added.includes(twin)) added.push(twin);
          continue;
        }
        if (!/\.(png|jpe?g|webp|gif|avif)$/i.test(name)) {
          rejected.push({ input: name, reason: `${name} is not an image the app can read (PNG, JPEG, WebP, GIF or AVIF).` });
          continue;
        }
        const job: Job = {
          id: `new${nextJob++}`, state: 'queued', endpoint, preset, inputName: name, inputSha256: 'x', progress: 0, queuePosition: null,
          message: null, errorCode: null, errorMessage: null, attempts: 0, createdAt: Date.now(), startedAt: null, finishedAt: null,
          modelId: null, estimatedCostUsd: 0.3, falRequestId: null, requestFinished: false,
        };
        state.jobs.push(job);
        added.push(job);
        made.add(job.id);
      }
      return ok({ added, rejected, duplicates, joined });
    },
    'jobs:cancel': ({ id }: { id: string }) => {
      const job = state.jobs.find((j) => j.id === id)!;
      Object.assign(job, { state: 'canceled', finishedAt: Date.now() });
      return ok(job);
    },
    'jobs:retry': ({ id, confirm, mode }: { id: string; confirm?: boolean; mode?: 'download' | 'generate' }) => {
      const job = state.jobs.find((j) => j.id === id)!;
      if (job.state === 'needs_attention' && mode !== 'download' && !confirm) return fail('confirmation_required', 'FAL may already have charged for this job.');
      // As the core: generating again what FAL already ran is charged again, so it asks first.
      if (job.falRequestId && mode !== 'download' && !confirm) {
        return fail('confirmation_required', 'Generating again sends a new request to FAL, which is charged again; confirm to go ahead.');
      }
      Object.assign(job, { state: 'queued', errorMessage: null, errorCode: null, requestFinished: false, progress: 0, attempts: job.attempts + 1 });
      return ok(job);
    },
    // As the core while FAL does not list the request yet: each job waiting for FAL's records stays
    // waiting, its message saying so (in the core's words).
    'reconcile:run': () => {
      const waiting = state.jobs.filter((j) => j.state === 'needs_attention' && j.falRequestId === null && j.errorCode !== 'submit_not_received');
      const nextCheckAt = Date.now() + 600_000;
      for (const job of waiting) {
        job.errorMessage = `The answer to this job's submit was lost. FAL lists no such request yet; the app keeps asking until ${new Date(nextCheckAt).toISOString().slice(0, 19).replace('T', ' ')} UTC (FAL can take a few minutes to list a request). Nothing is sent twice meanwhile.`;
        emit('job:changed', structuredClone(job));
      }
      return ok({
        checked: waiting.length,
        adopted: [],
        absent: [],
        resubmitted: [],
        waiting: waiting.map((j) => ({ jobId: j.id, reason: 'settling', nextCheckAt })),
        pastFound: [],
        pastAbsent: [],
      });
    },
    'jobs:remove': ({ id }: { id: string }) => {
      state.jobs = state.jobs.filter((j) => j.id !== id);
      return ok({ removed: true });
    },
    'jobs:clearFinished': () => {
      const before = state.jobs.length;
      state.jobs = state.jobs.filter((j) => !['succeeded', 'canceled'].includes(j.state));
      return ok({ removed: before - state.jobs.length });
    },
    'jobs:pick': () => ok({ added: [], rejected: [], duplicates: [] }),
    // As the core: only a job waiting here and never sent to FAL switches; the estimate follows.
    'jobs:setModel': ({ id, endpoint }: { id: string; endpoint: string }) => {
      const job = state.jobs.find((j) => j.id === id);
      const model = state.models.find((m) => m.id === endpoint);
      if (!job) return fail('not_found', 'That job was not found.');
      if (!model) return fail('invalid_input', `Unknown model "${endpoint}".`);
      if (job.state !== 'queued' || job.falRequestId !== null) return fail('conflict', 'This job was already sent to FAL, so it keeps its generator.');
      Object.assign(job, { endpoint, estimatedCostUsd: model.priceByPreset[job.preset] });
      const falWaiting = state.jobs.filter((j) => j.state === 'queued' && state.models.find((m) => m.id === j.endpoint)?.provider === 'fal').length;
      if (state.queue.status === 'no_key' && falWaiting === 0) {
        state.queue = { ...state.queue, status: 'running', message: null };
        emit('queue:changed', structuredClone(state.queue));
      }
      return ok(job);
    },
    'library:list': ({ query, sort, offset = 0, limit = 100 }: { query?: string; sort?: string; offset?: number; limit?: number }) => {
      let items = state.library;
      if (query) items = items.filter((m) => m.name.toLowerCase().includes(query.toLowerCase()));
      if (sort === 'oldest') items = [...items].sort((a, b) => a.createdAt - b.createdAt);
      else if (sort === 'name') items = [...items].sort((a, b) => a.name.localeCompare(b.name));
      else if (sort === 'triangles') items = [...items].sort((a, b) => b.stats.triangles - a.stats.triangles);
      return ok({ items: items.slice(offset, offset + limit), total: items.length });
    },
    'library:get': ({ id }: { id: string }) => {
      const model = state.library.find((m) => m.id === id);
      return model ? ok(model) : fail('not_found', 'That model was not found.');
    },
    'library:rename': ({ id, name }: { id: string; name: string }) => {
      const model = state.library.find((m) => m.id === id)!;
      model.name = name;
      return ok(model);
    },
    'library:delete': ({ id }: { id: string }) => {
      state.library = state.library.filter((m) => m.id !== id);
      return ok({ deleted: true });
    },
    'library:remake': ({ modelId, endpoint, preset }: { modelId: string; endpoint: string; preset: Job['preset'] }) => {
      const model = state.library.find((m) => m.id === modelId);
      if (!model) return fail('not_found', 'That model was not found.');
      const twin = onItsWay(model.sourceName ?? 'photo.jpg', endpoint, preset);
      if (twin) return ok({ added: [twin], rejected: [], duplicates: [], joined: [{ input: twin.inputName, jobId: twin.id }] });
      const job: Job = {
        id: `new${nextJob++}`, state: 'queued', endpoint, preset, inputName: model.sourceName ?? 'photo.jpg', inputSha256: 'x', progress: 0, queuePosition: null,
        message: null, errorCode: null, errorMessage: null, attempts: 0, createdAt: Date.now(), startedAt: null, finishedAt: null,
        modelId: null, estimatedCostUsd: 0.3, falRequestId: null, requestFinished: false,
      };
      state.jobs.push(job);
      return ok({ added: [job], rejected: [], duplicates: [] });
    },
    'export:model': ({ id, format }: { id: string; format: string }) => ok({ path: `/home/ada/Models/${id}.${format}` }),
    'shell:reveal': () => ok({ done: true }),
    'shell:startDrag': () => ok({ done: true }),
    'shell:openExternal': () => ok({ done: true }),
    // As the core's report (src/core/stats/report.ts): whole local days from `from`'s day on.
    'stats:get': ({ from, to }: { from?: number; to?: number } = {}) => {
      const day = (ms: number) => {
        const d = new Date(ms);
        return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      };
      const inRange = (ms: number) => (from === undefined || day(ms) >= day(from)) && (to === undefined || day(ms) <= day(to));
      const cents = (usd: number) => Math.round(usd * 10_000) / 10_000;
      const requests = state.stats.requests.filter((r) => inRange(r.finishedAt));
      const models = new Map<string, StatsReport['models'][number]>();
      const errors = new Map<string, StatsReport['errors'][number]>();
      const days = new Map<string, StatsReport['spendByDay'][number]>();
      const modelOf = (endpoint: string) => {
        const known = models.get(endpoint);
        if (known) return known;
        const fresh = {
          endpoint, requests: 0, succeeded: 0, failed: 0, canceled: 0, uncertain: 0, durationBuckets: [...state.stats.bucketsS, Infinity].map(() => 0),
          durationSumS: 0, rateLimits: 0, billableUnits: 0, estimatedUsd: 0, realUsd: 0,
        };
        models.set(endpoint, fresh);
        return fresh;
      };
      for (const r of requests) {
        const m = modelOf(r.endpoint);
        m.requests++;
        m[r.status]++;
        const bucket = state.stats.bucketsS.findIndex((le) => r.seconds <= le);
        m.durationBuckets[bucket === -1 ? state.stats.bucketsS.length : bucket]!++;
        m.durationSumS += r.seconds;
        m.estimatedUsd = cents(m.estimatedUsd + r.estimatedUsd);
        if (r.errorType) {
          const key = `${r.endpoint}|${r.errorType}`;
          const e = errors.get(key) ?? { endpoint: r.endpoint, errorType: r.errorType, count: 0 };
          e.count++;
          errors.set(key, e);
        }
        const d = days.get(day(r.finishedAt)) ?? { day: day(r.finishedAt), requests: 0, estimatedUsd: 0, realUsd: 0 };
        d.requests++;
        d.estimatedUsd = cents(d.estimatedUsd + r.estimatedUsd);
        days.set(d.day, d);
      }
      for (const limit of state.stats.rateLimits) if (inRange(limit.at)) modelOf(limit.endpoint).rateLimits++;
      const report: StatsReport = {
        from: from ?? null,
        to: to ?? null,
        models: [...models.values()],
        errors: [...errors.values()],
        spendByDay: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
      };
      return ok(report);
    },
    'samples:list': () => ok(state.samples),
    'samples:add': ({ id }: { id: string }) => {
      // The core's name for a sample's job (shared/samples sampleJobName; this runs in the page, without imports).
      const name = `${state.samples.find((sample) => sample.id === id)?.title ?? id} (sample).jpg`;
      const twin = onItsWay(name);
      if (twin) return ok({ added: [twin], rejected: [], duplicates: [], joined: [{ input: twin.inputName, jobId: twin.id }] });
      const job: Job = {
        id: `new${nextJob++}`, state: 'queued', endpoint: state.settings.defaultModel, preset: state.settings.defaultPreset, inputName: name,
        inputSha256: 'x', progress: 0, queuePosition: null, message: null, errorCode: null, errorMessage: null, attempts: 0, createdAt: Date.now(),
        startedAt: null, finishedAt: null, modelId: null, estimatedCostUsd: 0, falRequestId: null, requestFinished: false,
      };
      state.jobs.push(job);
      emit('job:changed', job);
      return ok({ added: [job], rejected: [], duplicates: [] });
    },
  };

  const api: Record<string, unknown> = {
    on: (event: string, listener: Listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
  for (const channel of Object.keys(handlers)) {
    api[channel] = (input: never) => {
      calls.push({ channel, input });
      return handlers[channel]!(input);
    };
  }
  const win = window as unknown as Record<string, unknown>;
  win.api = api;
  win.__mock = { state, calls, emit };
}

/** The core moves a job on (patched in the mock's state): its event reaches the page as a job:changed. */
export function moveMockJob(page: Page, id: string, patch: Partial<Job>): Promise<void> {
  return page.evaluate(
    ({ id, patch }) => {
      const mock = (window as unknown as { __mock: { state: { jobs: Job[] }; emit(event: string, payload: unknown): void } }).__mock;
      const job = mock.state.jobs.find((j) => j.id === id)!;
      Object.assign(job, patch);
      mock.emit('job:changed', structuredClone(job));
    },
    { id, patch },
  );
}
